package bitsweep.orchestrator.report;

import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import java.nio.file.Path;
import java.util.List;

/**
 * A finished sweep as handed to {@link SweepCompletionHook}.
 *
 * @param firstAssignmentMillis wall-clock time the first trial was assigned (this incarnation's
 *                              journal knowledge; 0 if none was ever assigned)
 * @param lastCompletionMillis  wall-clock time the last trial completed
 */
public record SweepCompletion(String sweep, Path resultsDir, List<TrialRecord> trials, long firstAssignmentMillis,
                              long lastCompletionMillis) {
    public long count(TrialStatus status) {
        return trials.stream().filter(t -> t.status() == status).count();
    }
}
