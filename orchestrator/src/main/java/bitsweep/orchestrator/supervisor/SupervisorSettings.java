package bitsweep.orchestrator.supervisor;

import bitsweep.sweep.Sweep;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How a supervisor runs one sweep.
 *
 * @param resultsDir     {@code results/<sweep>/}: trials.jsonl, trials/&lt;id&gt;/…, journal, logs
 * @param minWorkers     no trial is assigned before this many workers registered (benchmarks, fair starts)
 * @param statusInterval how often the console status line is logged
 * @param snapshotEvery  events between snapshots of the sweep state
 * @param abortGrace     how long an aborted attempt's trainer may take to stop before its worker
 *                       process is ended as hung
 */
public record SupervisorSettings(Sweep sweep, Path resultsDir, int minWorkers, Duration statusInterval,
                                 int snapshotEvery, SweepCompletionHook hook, Duration abortGrace) {
    /** Time for a trainer to notice a cancellation (checked per batch) and write nothing more. */
    public static final Duration DEFAULT_ABORT_GRACE = Duration.ofSeconds(30);

    public static SupervisorSettings of(Sweep sweep, Path resultsDir) {
        return new SupervisorSettings(sweep, resultsDir, 1, Duration.ofSeconds(10), 1000,
                SweepCompletionHook.discovered(), DEFAULT_ABORT_GRACE);
    }

    public SupervisorSettings withHook(SweepCompletionHook newHook) {
        return new SupervisorSettings(sweep, resultsDir, minWorkers, statusInterval, snapshotEvery, newHook, abortGrace);
    }

    public SupervisorSettings withMinWorkers(int n) {
        return new SupervisorSettings(sweep, resultsDir, n, statusInterval, snapshotEvery, hook, abortGrace);
    }

    public SupervisorSettings withStatusInterval(Duration d) {
        return new SupervisorSettings(sweep, resultsDir, minWorkers, d, snapshotEvery, hook, abortGrace);
    }

    public SupervisorSettings withAbortGrace(Duration d) {
        return new SupervisorSettings(sweep, resultsDir, minWorkers, statusInterval, snapshotEvery, hook, d);
    }

    public int maxAttempts() {
        return sweep.maxAttempts() > 0 ? sweep.maxAttempts() : 3;
    }
}
