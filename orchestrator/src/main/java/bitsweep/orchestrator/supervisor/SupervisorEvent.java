package bitsweep.orchestrator.supervisor;

import bitsweep.protocol.CborSerializable;
import bitsweep.sweep.TrialSpec;
import bitsweep.trial.EpochMetrics;
import bitsweep.trial.TrialResult;
import java.util.List;

/** What the supervisor's journal records; replaying these rebuilds {@link SweepState}. */
public sealed interface SupervisorEvent extends CborSerializable {
    String trialId();

    /** The sweep began (first start on an empty journal). */
    record SweepStarted(String sweep, int maxAttempts, long atMillis) implements SupervisorEvent {
        @Override
        public String trialId() {
            return null;
        }
    }

    /** A trial joined the queue for the first time. */
    record TrialQueued(TrialSpec spec) implements SupervisorEvent {
        @Override
        public String trialId() {
            return spec.trialId();
        }
    }

    /**
     * A running attempt ended without failing (the supervisor restarted, the worker handed it back on
     * shutdown): the trial goes back to the queue. Counted as an interruption, which is bounded.
     */
    record TrialRequeued(String trialId, String reason) implements SupervisorEvent {
    }

    record TrialAssigned(String trialId, int attempt, String worker, long atMillis) implements SupervisorEvent {
    }

    record TrialProgressed(String trialId, EpochMetrics metrics) implements SupervisorEvent {
    }

    /** A checkpoint is safely in the artifact store at {@code path} (relative to the results folder). */
    record TrialCheckpointed(String trialId, int epoch, String path, String sha256) implements SupervisorEvent {
    }

    record TrialCompleted(String trialId, TrialResult result, String artifact, long atMillis)
            implements SupervisorEvent {
    }

    /**
     * An attempt failed; {@code permanent} when it was the last allowed attempt or the failure is
     * deterministic. {@code epoch}: the epoch it failed in, as the worker reported it (0 when unknown).
     */
    record TrialFailed(String trialId, String error, boolean permanent, int epoch) implements SupervisorEvent {
    }

    /** The stored checkpoint cannot be used (unreadable, corrupt): later attempts start at epoch 1. */
    record TrialCheckpointDiscarded(String trialId, String reason) implements SupervisorEvent {
    }

    record TrialCancelled(String trialId) implements SupervisorEvent {
    }

    record SweepCancelled(long atMillis) implements SupervisorEvent {
        @Override
        public String trialId() {
            return null;
        }
    }

    /** Handing out trials stopped by a user (running attempts go on). */
    record SweepPaused(long atMillis) implements SupervisorEvent {
        @Override
        public String trialId() {
            return null;
        }
    }

    /** Handing out trials resumed after {@link SweepPaused}. */
    record SweepResumed(long atMillis) implements SupervisorEvent {
        @Override
        public String trialId() {
            return null;
        }
    }

    /**
     * A user added MU values and/or seeds: {@code trials} join the queue, in order. They are not
     * refinement trials (they do not spend the {@code refine:} budget).
     */
    record SweepExtended(List<Double> mus, List<Long> seeds, List<TrialSpec> trials, long atMillis)
            implements SupervisorEvent {
        @Override
        public String trialId() {
            return null;
        }
    }
}
