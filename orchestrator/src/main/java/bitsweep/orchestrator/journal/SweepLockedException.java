package bitsweep.orchestrator.journal;

/** Another orchestrator holds the results folder or the sweep: this one must not start (exit code 2). */
public final class SweepLockedException extends IllegalStateException {
    public SweepLockedException(String message) {
        super(message);
    }
}
