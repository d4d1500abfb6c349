package bitsweep.protocol;

import bitsweep.sweep.TrialRecord;
import bitsweep.train.EpochMetrics;
import bitsweep.train.TrialResult;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;

/** Messages the sweep supervisor (cluster singleton on role {@code orchestrator}) understands. */
public final class SupervisorProtocol {
    private SupervisorProtocol() {
    }

    /** Everything the supervisor receives. */
    public sealed interface Command {
    }

    /** Messages that travel between nodes (Jackson CBOR). */
    public sealed interface Remote extends Command, CborSerializable {
    }

    /** An idle worker asks for one trial; the supervisor answers with an assignment, now or when work exists. */
    public record WorkerReady(ActorRef<WorkerProtocol.Command> worker, String workerName, String device)
            implements Remote {
    }

    /** One epoch of attempt {@code attempt} of a trial finished on {@code worker}. */
    public record TrialProgress(String trialId, int attempt, EpochMetrics metrics,
                                ActorRef<WorkerProtocol.Command> worker) implements Remote {
    }

    /** A checkpoint after {@code epoch}; the supervisor pulls it into its artifact store. */
    public record TrialCheckpoint(String trialId, int attempt, int epoch, FileOffer file,
                                  ActorRef<WorkerProtocol.Command> worker) implements Remote {
    }

    /** The trial finished; {@code files} are its result.json and fixed-gate artifact. */
    public record TrialSucceeded(String trialId, int attempt, TrialResult result, List<FileOffer> files,
                                 String artifactName, ActorRef<WorkerProtocol.Command> worker) implements Remote {
    }

    /** The attempt failed (NaN loss, OOM, bad data, …); {@code error} is shown to users. */
    public record TrialAttemptFailed(String trialId, int attempt, String error,
                                     ActorRef<WorkerProtocol.Command> worker) implements Remote {
    }

    /** Cancel one trial wherever it is (queued or running). */
    public record CancelTrial(String trialId) implements Remote {
    }

    /** Cancel every trial that has not finished. */
    public record CancelSweep() implements Remote {
    }

    /** Ask for the sweep's current state. */
    public record GetStatus(ActorRef<SweepStatus> replyTo) implements Remote {
    }

    /**
     * Answer to {@link GetStatus}.
     *
     * @param trials  latest state of every trial, in sweep order
     * @param workers names of the workers the supervisor knows
     */
    public record SweepStatus(String sweep, List<TrialRecord> trials, List<String> workers, boolean complete)
            implements CborSerializable {
        public long count(String status) {
            return trials.stream().filter(t -> t.status().equals(status)).count();
        }
    }

    /** Messages the supervisor sends itself; never serialized. */
    public sealed interface Internal extends Command, NoSerializationVerificationNeeded {
    }

    /** Sent at start-up; handled once recovery has replayed the journal. */
    public record Start() implements Internal {
    }

    /** The receptionist's current set of workers. */
    public record WorkersListed(Set<ActorRef<WorkerProtocol.Command>> workers) implements Internal {
    }

    /** The grid is done: add refinement trials where the frontier has gaps (sweep {@code refine:}). */
    public record RefineFrontier() implements Internal {
    }

    /** A watched worker stopped, or its node was downed or left. */
    public record WorkerLost(ActorRef<WorkerProtocol.Command> worker) implements Internal {
    }

    /** A checkpoint arrived intact in the artifact store. */
    public record CheckpointStored(String trialId, int attempt, int epoch, String relativePath, String sha256)
            implements Internal {
    }

    /** All result files of a finished trial arrived intact. */
    public record ResultStored(String trialId, int attempt, TrialResult result, String artifact) implements Internal {
    }

    /** A transfer into the artifact store failed. */
    public record TransferFailed(String trialId, int attempt, String what, String error) implements Internal {
    }

    /** Periodic console status line. */
    public record Tick() implements Internal {
    }
}
