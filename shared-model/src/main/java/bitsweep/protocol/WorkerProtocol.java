package bitsweep.protocol;

import bitsweep.sweep.TrialSpec;
import bitsweep.train.EpochMetrics;
import bitsweep.train.TrialResult;
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

    /** Messages a worker sends itself from its training thread or transfers; never serialized. */
    public sealed interface Internal extends Command, NoSerializationVerificationNeeded {
    }

    /** The receptionist's current supervisors (normally one; none while the singleton moves). */
    public record SupervisorsListed(java.util.Set<ActorRef<SupervisorProtocol.Command>> supervisors)
            implements Internal {
    }

    public record EpochEnded(String trialId, int attempt, EpochMetrics metrics) implements Internal {
    }

    /** The resume checkpoint could not be read; the trainer restarts the attempt from epoch 1. */
    public record CheckpointUnusable(String trialId, int attempt, int epoch, String reason) implements Internal {
    }

    /** The node is shutting down: give the running attempt back, then answer. */
    public record HandBack(ActorRef<org.apache.pekko.Done> replyTo) implements Internal {
    }

    /** Time to tell the supervisor whether the running attempt advanced. */
    public record HeartbeatTick() implements Internal {
    }

    /** The grace after an {@link AbortAttempt} ran out. */
    public record AbortDeadline(String trialId, int attempt, String reason) implements Internal {
    }

    public record CheckpointReady(String trialId, int attempt, int epoch, java.nio.file.Path file, String sha256)
            implements Internal {
    }

    public record ResumeFileReady(String trialId, int attempt, java.nio.file.Path file, Throwable error)
            implements Internal {
    }

    /** Training returned: exactly one of {@code result} and {@code error} is set (or both null when cancelled). */
    public record TrainingEnded(String trialId, int attempt, TrialResult result, java.util.List<PreparedFile> files,
                                String artifactName, Throwable error, boolean cancelled) implements Internal {
    }

    /** A file ready to offer: hashed on the training thread, not on the actor's. */
    public record PreparedFile(String name, java.nio.file.Path path, String sha256) {
    }
}
