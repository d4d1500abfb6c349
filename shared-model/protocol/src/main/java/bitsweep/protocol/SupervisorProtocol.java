package bitsweep.protocol;

import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import bitsweep.trial.EpochMetrics;
import bitsweep.trial.TrialResult;
import java.util.List;
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

    /**
     * An idle worker asks for one trial; the supervisor answers with an assignment, now or when work exists.
     *
     * @param assignmentsSeen how many assignments this worker has received so far: a request that crossed an
     *                        assignment on the wire (fewer seen than sent) is stale and must not be read as
     *                        "the worker is idle, its attempt is gone"
     */
    public record WorkerReady(ActorRef<WorkerProtocol.Command> worker, String workerName, String device,
                              int assignmentsSeen) implements Remote {
    }

    /** One epoch of attempt {@code attempt} of a trial finished on {@code worker}. */
    public record TrialProgress(String trialId, int attempt, EpochMetrics metrics,
                                ActorRef<WorkerProtocol.Command> worker) implements Remote {
    }

    /** A checkpoint after {@code epoch}; the supervisor pulls it into its artifact store. */
    public record TrialCheckpoint(String trialId, int attempt, int epoch, FileOffer file,
                                  ActorRef<WorkerProtocol.Command> worker) implements Remote {
    }

    /**
     * The trial finished; {@code files} are its result.json and fixed-gate artifact. {@code result} is the
     * summary without the per-epoch history (see {@link TrialResult#summary()}): the history of a
     * 300-epoch trial would not fit one Artery frame, so it travels inside result.json.
     */
    public record TrialSucceeded(String trialId, int attempt, TrialResult result, List<FileOffer> files,
                                 String artifactName, ActorRef<WorkerProtocol.Command> worker) implements Remote {
    }

    /**
     * The attempt failed (NaN loss, OOM, bad data, …); {@code error} is shown to users.
     *
     * @param epoch the epoch that was being trained when it failed (0 when not known)
     */
    public record TrialAttemptFailed(String trialId, int attempt, String error, int epoch,
                                     ActorRef<WorkerProtocol.Command> worker) implements Remote {
    }

    /**
     * The trainer of this attempt is alive and advancing: sent every few seconds while its step counter
     * (training and evaluation batches) moves, and never when it does not, so a silent attempt is a
     * stalled one.
     */
    public record TrialAlive(String trialId, int attempt, long steps, ActorRef<WorkerProtocol.Command> worker)
            implements Remote {
    }

    /**
     * The worker gives the attempt back unfinished without it having failed: its process is shutting
     * down (SIGTERM), or it was busy when the assignment came. The trial resumes from its latest
     * stored checkpoint elsewhere.
     */
    public record TrialHandedBack(String trialId, int attempt, String reason,
                                  ActorRef<WorkerProtocol.Command> worker) implements Remote {
    }

    /**
     * The checkpoint this attempt was told to resume from could not be read (corrupt, truncated, wrong
     * trial); the attempt goes on from epoch 1 and that checkpoint must never be handed out again.
     */
    public record CheckpointRejected(String trialId, int attempt, int epoch, String reason,
                                     ActorRef<WorkerProtocol.Command> worker) implements Remote {
    }

    /**
     * Cancel one trial wherever it is (queued or running; a running attempt is stopped on its worker).
     *
     * @param replyTo told whether it was cancelled (null: nobody asks)
     */
    public record CancelTrial(String trialId, ActorRef<ControlReply> replyTo) implements Remote {
        public CancelTrial(String trialId) {
            this(trialId, null);
        }
    }

    /** Cancel every trial that has not finished; {@code replyTo} may be null. */
    public record CancelSweep(ActorRef<ControlReply> replyTo) implements Remote {
        public CancelSweep() {
            this(null);
        }
    }

    /** Stop handing out trials (running ones go on); journaled, so it outlives a restart. */
    public record PauseSweep(ActorRef<ControlReply> replyTo) implements Remote {
    }

    /** Hand out trials again after {@link PauseSweep}. */
    public record ResumeSweep(ActorRef<ControlReply> replyTo) implements Remote {
    }

    /**
     * Add MU values and/or seeds to the running sweep: the new trials are expanded as if the sweep file had
     * listed these values too (every variant and point × the MU and seed sets), with the usual trial ids.
     */
    public record ExtendSweep(List<Double> mus, List<Long> seeds, ActorRef<ControlReply> replyTo) implements Remote {
    }

    /**
     * Answer to a control command.
     *
     * @param accepted whether it changed (or will change) the sweep
     * @param message  what happened, or why not, for users
     * @param trialIds the trials it concerned (the new ones for {@link ExtendSweep})
     */
    public record ControlReply(boolean accepted, String message, List<String> trialIds) implements CborSerializable {
    }

    /** Ask for the live view behind the dashboard and API. */
    public record GetLiveView(ActorRef<LiveView> replyTo) implements Remote {
    }

    /** Ask for the sweep's current state. */
    public record GetStatus(ActorRef<SweepStatus> replyTo) implements Remote {
    }

    /**
     * Answer to {@link GetStatus}.
     *
     * @param trials  latest state of every trial, in sweep order
     * @param workers names of the workers the supervisor knows
     * @param ignored messages ignored since this supervisor started because they came from an attempt
     *                that is no longer current or from a worker that does not run it (fencing)
     * @param journalWrites journal writes since this supervisor started (several commands' events share one)
     * @param journalEvents the events those writes held
     */
    public record SweepStatus(String sweep, List<TrialRecord> trials, List<String> workers, boolean complete,
                              long ignored, long journalWrites, long journalEvents)
            implements CborSerializable {
        public long count(TrialStatus status) {
            return trials.stream().filter(t -> t.status() == status).count();
        }
    }

    /**
     * Messages the supervisor sends itself; never serialized. Each is a private record of the behavior that
     * uses it (timers, adapters, completed futures), so no other code can send them.
     */
    public non-sealed interface Internal extends Command, NoSerializationVerificationNeeded {
    }
}
