package bitsweep.trial;

/** Thrown by a trial runner that observed its {@link CancellationToken}. */
public class TrialCancelledException extends Exception {
    public TrialCancelledException(String trialId) {
        super("trial " + trialId + " was cancelled");
    }
}
