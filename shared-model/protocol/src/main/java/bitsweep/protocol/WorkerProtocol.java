package bitsweep.protocol;

import bitsweep.sweep.TrialSpec;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;

/** Messages a device worker (one per GPU or CPU slot, role {@code worker}) understands. */
public final class WorkerProtocol {
    private WorkerProtocol() {
    }

    public sealed interface Command {
    }

    /** Messages that travel between nodes (Jackson CBOR). */
    public sealed interface Remote extends Command, CborSerializable {
    }

    /** The (possibly new) supervisor introduces itself; an idle worker answers by asking for work. */
    public record SupervisorAvailable(ActorRef<SupervisorProtocol.Command> supervisor) implements Remote {
    }

    /**
     * Run attempt {@code attempt} of a trial.
     *
     * @param checkpoint      checkpoint to resume from, or null to start at epoch 1
     * @param checkpointEpoch epoch the checkpoint was taken after (0 without one)
     */
    public record AssignTrial(String trialId, int attempt, TrialSpec spec, FileOffer checkpoint, int checkpointEpoch)
            implements Remote {
    }

    /** Stop the trial if it is running here; the worker then asks for new work. */
    public record CancelTrial(String trialId, String reason) implements Remote {
    }

    /**
     * Stop attempt {@code attempt} of a trial: the supervisor gave up on it (stalled, over
     * {@code max-trial-time}). If the trainer has not returned {@code graceMillis} after the
     * cancellation, it is hung (e.g. in a native call) and the worker's process is ended so the node
     * restarts it.
     */
    public record AbortAttempt(String trialId, int attempt, String reason, long graceMillis) implements Remote {
    }

    public record GetWorkerStatus(ActorRef<WorkerStatus> replyTo) implements Remote {
    }

    /** What a worker is doing; {@code trialId} is null when idle. */
    public record WorkerStatus(String workerName, String device, String trialId, int epoch, int totalEpochs,
                               double etaSeconds) implements CborSerializable {
    }

    /**
     * Messages a worker sends itself from its training thread, timers or transfers; never serialized. Each
     * is a private record of the worker behavior, so no other code can send them.
     */
    public non-sealed interface Internal extends Command, NoSerializationVerificationNeeded {
    }
}
