package bitsweep.orchestrator.supervisor;

import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialSpec;
import bitsweep.sweep.TrialStatus;
import bitsweep.trial.EpochMetrics;
import bitsweep.trial.TrialResult;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The supervisor's view of one trial (immutable; part of the snapshot).
 *
 * @param attempts        how many times it was started (the number of the latest attempt)
 * @param failures        how many attempts failed (counted against {@code max-attempts})
 * @param interruptions   how many attempts ended without failing (supervisor restart, hand-back on
 *                        shutdown); bounded separately
 * @param failedAtEpoch   the epoch the latest failure happened in, 0 when unknown
 * @param checkpointEpoch epoch of the latest stored checkpoint, 0 without one
 * @param checkpointPath  that checkpoint relative to the results folder
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrialEntry(TrialSpec spec, TrialStatus status, int attempts, int failures, int interruptions,
                         String error, int failedAtEpoch, String worker, int checkpointEpoch, String checkpointPath,
                         String checkpointSha, EpochMetrics lastEpoch, TrialResult result, String artifact,
                         long assignedAtMillis, long completedAtMillis) {

    static TrialEntry queued(TrialSpec spec) {
        return new TrialEntry(spec, TrialStatus.QUEUED, 0, 0, 0, null, 0, null, 0, null, null, null, null, null, 0, 0);
    }

    public boolean terminal() {
        return status.ended();
    }

    TrialEntry withStatus(TrialStatus newStatus, String newWorker) {
        return new TrialEntry(spec, newStatus, attempts, failures, interruptions, error, failedAtEpoch, newWorker,
                checkpointEpoch, checkpointPath, checkpointSha, lastEpoch, result, artifact, assignedAtMillis,
                completedAtMillis);
    }

    TrialEntry assigned(int attempt, String toWorker, long atMillis) {
        return new TrialEntry(spec, TrialStatus.RUNNING, Math.max(attempts, attempt), failures, interruptions, error,
                failedAtEpoch, toWorker, checkpointEpoch, checkpointPath, checkpointSha, lastEpoch, result, artifact,
                atMillis, completedAtMillis);
    }

    TrialEntry interrupted() {
        return new TrialEntry(spec, TrialStatus.QUEUED, attempts, failures, interruptions + 1, error, failedAtEpoch,
                null, checkpointEpoch, checkpointPath, checkpointSha, lastEpoch, result, artifact, assignedAtMillis,
                completedAtMillis);
    }

    TrialEntry progressed(EpochMetrics metrics) {
        return new TrialEntry(spec, status, attempts, failures, interruptions, error, failedAtEpoch, worker,
                checkpointEpoch, checkpointPath, checkpointSha, metrics, result, artifact, assignedAtMillis,
                completedAtMillis);
    }

    TrialEntry checkpointed(int epoch, String path, String sha) {
        return new TrialEntry(spec, status, attempts, failures, interruptions, error, failedAtEpoch, worker, epoch,
                path, sha, lastEpoch, result, artifact, assignedAtMillis, completedAtMillis);
    }

    TrialEntry completed(TrialResult trialResult, String artifactPath, long atMillis) {
        return new TrialEntry(spec, TrialStatus.COMPLETED, attempts, failures, interruptions, null, failedAtEpoch,
                null, checkpointEpoch, checkpointPath, checkpointSha, lastEpoch, trialResult, artifactPath,
                assignedAtMillis, atMillis);
    }

    TrialEntry failed(String reason, boolean permanent, int epoch) {
        return new TrialEntry(spec, permanent ? TrialStatus.FAILED : TrialStatus.QUEUED, attempts, failures + 1,
                interruptions, reason, epoch, null, checkpointEpoch, checkpointPath, checkpointSha, lastEpoch, result,
                artifact, assignedAtMillis, completedAtMillis);
    }

    /** The trial is running attempt {@code attempt} (and no later one has started). */
    public boolean isRunningAttempt(int attempt) {
        return status == TrialStatus.RUNNING && attempts == attempt;
    }

    public TrialRecord toRecord() {
        return new TrialRecord(spec, status, attempts, error, result, artifact);
    }
}
