package bitsweep.orchestrator.supervisor;

import bitsweep.orchestrator.report.SweepCompletionHook;
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
 * @param replica        where stored checkpoints and results are copied off this machine (PostgreSQL journal)
 */
public record SupervisorSettings(Sweep sweep, Path resultsDir, int minWorkers, Duration statusInterval,
                                 int snapshotEvery, SweepCompletionHook hook, ArtifactReplica replica) {

    /**
     * A snapshot holds every trial, so it costs O(N); one per 10,000 events keeps that small per event
     * even at 100,000 trials, and a recovery replays at most that many events after loading it.
     */
    public static final int DEFAULT_SNAPSHOT_EVERY = 10_000;

    public SupervisorSettings(Sweep sweep, Path resultsDir, int minWorkers, Duration statusInterval,
                              int snapshotEvery, SweepCompletionHook hook) {
        this(sweep, resultsDir, minWorkers, statusInterval, snapshotEvery, hook, ArtifactReplica.NONE);
    }

    public static SupervisorSettings of(Sweep sweep, Path resultsDir) {
        return new SupervisorSettings(sweep, resultsDir, 1, Duration.ofSeconds(10), DEFAULT_SNAPSHOT_EVERY,
                SweepCompletionHook.discovered());
    }

    public SupervisorSettings withReplica(ArtifactReplica newReplica) {
        return new SupervisorSettings(sweep, resultsDir, minWorkers, statusInterval, snapshotEvery, hook, newReplica);
    }

    public SupervisorSettings withHook(SweepCompletionHook newHook) {
        return new SupervisorSettings(sweep, resultsDir, minWorkers, statusInterval, snapshotEvery, newHook, replica);
    }

    public SupervisorSettings withMinWorkers(int n) {
        return new SupervisorSettings(sweep, resultsDir, n, statusInterval, snapshotEvery, hook, replica);
    }

    public SupervisorSettings withStatusInterval(Duration d) {
        return new SupervisorSettings(sweep, resultsDir, minWorkers, d, snapshotEvery, hook, replica);
    }

    public int maxAttempts() {
        return sweep.maxAttempts() > 0 ? sweep.maxAttempts() : 3;
    }
}
