package bitsweep.worker;

import bitsweep.io.Json;
import bitsweep.io.SafeNames;
import bitsweep.protocol.FileOffer;
import bitsweep.protocol.FileTransfer;
import bitsweep.protocol.ServiceKeys;
import bitsweep.protocol.SupervisorProtocol;
import bitsweep.protocol.WorkerProtocol.AbortAttempt;
import bitsweep.protocol.WorkerProtocol.AssignTrial;
import bitsweep.protocol.WorkerProtocol.CancelTrial;
import bitsweep.protocol.WorkerProtocol.Command;
import bitsweep.protocol.WorkerProtocol.GetWorkerStatus;
import bitsweep.protocol.WorkerProtocol.SupervisorAvailable;
import bitsweep.protocol.WorkerProtocol.WorkerStatus;
import bitsweep.protocol.WorkerProtocol;
import bitsweep.train.CheckpointUnreadableException;
import bitsweep.train.TrialRequest;
import bitsweep.train.TrialRunner;
import bitsweep.trial.CancellationToken;
import bitsweep.trial.EpochMetrics;
import bitsweep.trial.TrialCancelledException;
import bitsweep.trial.TrialListener;
import bitsweep.trial.TrialResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * One worker per device. Registers with the receptionist, asks the supervisor for one trial when
 * idle, runs it on its own training thread (never on an actor dispatcher, so the actor keeps
 * answering status and cancel requests), streams epoch progress, ships checkpoints and the final
 * result files to the supervisor's artifact store, then asks again.
 *
 * <p>Files live in this node's own scratch directory ({@code <scratch>/<trial>/attempt-N/}); nothing
 * assumes the supervisor can see them.
 *
 * <p>Liveness: while the trainer advances (any training or evaluation batch) the worker sends a
 * heartbeat every {@code bitsweep.worker.heartbeat-interval}; a trainer that stops advancing goes
 * silent, and the supervisor aborts the attempt. An aborted trainer that does not return within the
 * grace period is hung: {@code onHung} then ends this worker's process (process per device: the node
 * restarts it), or, inside a shared JVM, its thread is abandoned and a new one takes over.
 *
 * <p>On a graceful shutdown (SIGTERM → coordinated shutdown) the running attempt is cancelled and
 * handed back, so it resumes from its latest checkpoint elsewhere without counting as a failure.
 */
public final class DeviceWorker extends AbstractBehavior<Command> {

    private final String name;
    private final String device;
    private final TrialRunner runner;
    private final Path scratch;
    private final Consumer<String> onHung;
    private final TimerScheduler<Command> timers;
    private final Cancellable handBackTask;
    private ExecutorService trainingThread;
    private int threads;
    private final java.util.concurrent.Executor blocking;
    private final AssignmentLatency latency;
    private ActorRef<SupervisorProtocol.Command> supervisor;
    private long askedAtNanos;
    private boolean asked;
    private boolean everAssigned;
    private int assignmentsSeen;
    private Run current;

    /** The trial this worker is running. */
    private static final class Run {
        final AssignTrial assignment;
        final CancellationToken token = new CancellationToken();
        final long startNanos = System.nanoTime();
        final int totalEpochs;
        final AtomicLong steps = new AtomicLong();
        long stepsReported;
        int epoch;
        double lastEpochSeconds;
        /** Handed back or aborted: whatever the trainer does now is not reported. */
        boolean released;

        Run(AssignTrial assignment) {
            this.assignment = assignment;
            var c = assignment.spec().config();
            this.totalEpochs = (c.epochs() == null ? 0 : c.epochs())
                    + (c.fixedGateFinetuneEpochs() == null ? 0 : c.fixedGateFinetuneEpochs());
            this.epoch = assignment.checkpointEpoch();
        }

        boolean is(String trialId, int attempt) {
            return assignment.trialId().equals(trialId) && assignment.attempt() == attempt;
        }
    }

    /** A worker inside a JVM it shares: a hung trainer's thread is abandoned, the JVM stays. */
    public static Behavior<Command> create(String name, String device, TrialRunner runner, Path scratch,
                                           AssignmentLatency latency) {
        return create(name, device, runner, scratch, latency, null);
    }

    /**
     * @param onHung called with the reason when an aborted trainer does not return within the grace
     *               period; the device process passes one that ends the process. Null: abandon the thread.
     */
    public static Behavior<Command> create(String name, String device, TrialRunner runner, Path scratch,
                                           AssignmentLatency latency, Consumer<String> onHung) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            ctx.getSystem().receptionist().tell(Receptionist.register(ServiceKeys.WORKER, ctx.getSelf()));
            ActorRef<Receptionist.Listing> listings = ctx.messageAdapter(Receptionist.Listing.class,
                    l -> new SupervisorsListed(l.getServiceInstances(ServiceKeys.SUPERVISOR)));
            ctx.getSystem().receptionist().tell(Receptionist.subscribe(ServiceKeys.SUPERVISOR, listings));
            timers.startTimerWithFixedDelay(new HeartbeatTick(), setting(ctx, "heartbeat-interval"));
            return new DeviceWorker(ctx, timers, name, device, runner, scratch, latency, onHung);
        }));
    }

    private static Duration setting(ActorContext<?> ctx, String key) {
        var config = ctx.getSystem().settings().config();
        String path = "bitsweep.worker." + key;
        return config.hasPath(path) ? config.getDuration(path) : Duration.ofSeconds(5);
    }

    private DeviceWorker(ActorContext<Command> ctx, TimerScheduler<Command> timers, String name, String device,
                         TrialRunner runner, Path scratch, AssignmentLatency latency, Consumer<String> onHung) {
        super(ctx);
        this.timers = timers;
        this.name = name;
        this.device = device;
        this.runner = runner;
        this.scratch = scratch;
        this.latency = latency;
        this.onHung = onHung;
        this.blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
        this.trainingThread = newTrainingThread();
        ActorRef<Command> self = ctx.getSelf();
        Duration handBackTimeout = setting(ctx, "hand-back-timeout");
        var scheduler = ctx.getSystem().scheduler();
        this.handBackTask = CoordinatedShutdown.get(ctx.getSystem()).addCancellableTask(
                CoordinatedShutdown.PhaseBeforeServiceUnbind(), "hand-back-" + ctx.getSelf().path().name(),
                () -> AskPattern.<Command, Done>ask(self, HandBack::new, handBackTimeout, scheduler)
                        .exceptionally(e -> Done.getInstance()));
    }

    private ExecutorService newTrainingThread() {
        String threadName = "bitsweep-train-" + name.replaceAll("[^A-Za-z0-9]", "-") + "-" + threads++;
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(SupervisorAvailable.class, this::onSupervisor)
                .onMessage(SupervisorsListed.class, this::onSupervisorsListed)
                .onMessage(AssignTrial.class, this::onAssign)
                .onMessage(ResumeFileReady.class, this::onResumeFile)
                .onMessage(EpochEnded.class, this::onEpoch)
                .onMessage(CheckpointReady.class, this::onCheckpoint)
                .onMessage(TrainingEnded.class, this::onTrainingEnded)
                .onMessage(CancelTrial.class, this::onCancel)
                .onMessage(AbortAttempt.class, this::onAbort)
                .onMessage(AbortDeadline.class, this::onAbortDeadline)
                .onMessage(HeartbeatTick.class, this::onHeartbeat)
                .onMessage(CheckpointUnusable.class, this::onCheckpointUnusable)
                .onMessage(HandBack.class, this::onHandBack)
                .onMessage(GetWorkerStatus.class, this::onStatus)
                .onSignal(PostStop.class, s -> onStop())
                .onSignal(PreRestart.class, s -> onStop())
                .build();
    }

    private Behavior<Command> onSupervisor(SupervisorAvailable msg) {
        if (!msg.supervisor().equals(supervisor)) {
            supervisor = msg.supervisor();
            getContext().getLog().info("worker {}: supervisor is {}", name, supervisor.path());
        }
        // Ask even if we asked before: a supervisor that restarted in place (same reference) has forgotten
        // every parked request and introduces itself again. A repeated ask of an idle worker is harmless.
        if (current == null) {
            ask();
        }
        return this;
    }

    private Behavior<Command> onSupervisorsListed(SupervisorsListed msg) {
        if (msg.supervisors().isEmpty() || msg.supervisors().contains(supervisor)) {
            return this;
        }
        return onSupervisor(new SupervisorAvailable(msg.supervisors().iterator().next()));
    }

    private void ask() {
        asked = true;
        askedAtNanos = System.nanoTime();
        supervisor.tell(new SupervisorProtocol.WorkerReady(getContext().getSelf(), name, device, assignmentsSeen));
    }

    private Behavior<Command> onAssign(AssignTrial msg) {
        if (asked) {
            latency.record(System.nanoTime() - askedAtNanos, !everAssigned);
        }
        everAssigned = true;
        asked = false;
        assignmentsSeen++;
        if (current != null) {
            getContext().getLog().warn("worker {} is busy with {}; handing {} back", name,
                    current.assignment.trialId(), msg.trialId());
            supervisor.tell(new SupervisorProtocol.TrialHandedBack(msg.trialId(), msg.attempt(),
                    "worker " + name + " was busy with " + current.assignment.trialId(), getContext().getSelf()));
            return this;
        }
        if (!validTrialId(msg.trialId())) {
            getContext().getLog().warn("worker {}: refusing trial id '{}' (not a safe file name)", name, msg.trialId());
            supervisor.tell(new SupervisorProtocol.TrialAttemptFailed(msg.trialId(), msg.attempt(),
                    "trial id is not a safe file name", 0, getContext().getSelf()));
            ask();
            return this;
        }
        current = new Run(msg);
        getContext().getLog().info("worker {}: trial {} attempt {}{}", name, msg.trialId(), msg.attempt(),
                msg.checkpoint() == null ? "" : ", resuming after epoch " + msg.checkpointEpoch());
        if (msg.checkpoint() == null) {
            startTraining(null);
        } else {
            Path target = attemptDir(msg).resolve("resume").resolve("checkpoint-epoch-" + msg.checkpointEpoch()
                    + ".ckpt");
            getContext().pipeToSelf(FileTransfer.receive(msg.checkpoint(), target, getContext().getSystem(), blocking),
                    (path, err) -> new ResumeFileReady(msg.trialId(), msg.attempt(), path, err));
        }
        return this;
    }

    private Behavior<Command> onResumeFile(ResumeFileReady msg) {
        if (current == null || !current.is(msg.trialId(), msg.attempt())) {
            return this;
        }
        if (current.token.isCancelled()) {
            finishRun();
            return this;
        }
        if (msg.error() != null) {
            getContext().getLog().warn("worker {}: checkpoint for {} did not arrive ({}); starting at epoch 1", name,
                    msg.trialId(), msg.error().toString());
            supervisor.tell(new SupervisorProtocol.CheckpointRejected(msg.trialId(), msg.attempt(), current.epoch,
                    "transfer failed: " + describe(msg.error()), getContext().getSelf()));
            current.epoch = 0;
            startTraining(null);
        } else {
            startTraining(msg.file());
        }
        return this;
    }

    private void startTraining(Path resumeFrom) {
        AssignTrial a = current.assignment;
        Path workDir = attemptDir(a);
        ActorRef<Command> self = getContext().getSelf();
        CancellationToken token = current.token;
        AtomicLong steps = current.steps;
        int resumeEpoch = current.epoch;
        TrialListener listener = new TrialListener() {
            @Override
            public void onBatch() {
                steps.incrementAndGet();
            }

            @Override
            public void onEpoch(EpochMetrics metrics) {
                self.tell(new EpochEnded(a.trialId(), a.attempt(), metrics));
            }

            @Override
            public void onCheckpoint(int epoch, Path checkpointFile) {
                // Copy and hash here, on the training thread: the runner may overwrite its file later.
                try {
                    Path copy = workDir.resolve("outbox").resolve("checkpoint-epoch-" + epoch + ".ckpt");
                    Files.createDirectories(copy.getParent());
                    Files.copy(checkpointFile, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    self.tell(new CheckpointReady(a.trialId(), a.attempt(), epoch, copy, FileTransfer.sha256(copy)));
                    pruneOutbox(copy.getParent(), epoch);
                } catch (IOException e) {
                    throw new UncheckedIOException("could not stage checkpoint " + checkpointFile, e);
                }
            }
        };
        TrialRequest request = new TrialRequest(a.trialId(), a.spec().config(), workDir, resumeFrom, device,
                a.attempt());
        CompletableFuture<TrainingEnded> run = CompletableFuture.supplyAsync(() -> {
            try {
                Files.createDirectories(workDir);
                TrialResult result;
                try {
                    result = runner.run(request, listener, token);
                } catch (CheckpointUnreadableException e) {
                    if (request.resumeFrom() == null) {
                        throw e;
                    }
                    // Once per attempt: the checkpoint is at fault, not the trial. Start over without it.
                    self.tell(new CheckpointUnusable(a.trialId(), a.attempt(), resumeEpoch, e.getMessage()));
                    result = runner.run(new TrialRequest(a.trialId(), a.spec().config(), workDir, null, device,
                                    a.attempt()),
                            listener, token);
                }
                return prepareResult(a, workDir, result);
            } catch (TrialCancelledException e) {
                return new TrainingEnded(a.trialId(), a.attempt(), null, null, null, null, true);
            } catch (Exception | OutOfMemoryError | StackOverflowError e) {
                return new TrainingEnded(a.trialId(), a.attempt(), null, null, null, e, token.isCancelled());
            }
        }, trainingThread);
        getContext().pipeToSelf(run, (ended, err) -> err != null
                ? new TrainingEnded(a.trialId(), a.attempt(), null, null, null, err, false) : ended);
    }

    /**
     * Deletes staged checkpoint copies older than the previous epoch's: the store only keeps the latest
     * checkpoint, and a 300-epoch trial would otherwise leave 300 copies here. The previous one stays in
     * case its transfer is still running; a checkpoint transfer that fails is only logged by the supervisor.
     */
    static void pruneOutbox(Path outbox, int latestEpoch) throws IOException {
        try (var files = Files.list(outbox)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String n = f.getFileName().toString();
                if (n.startsWith("checkpoint-epoch-") && n.endsWith(".ckpt")) {
                    int epoch = Integer.parseInt(n.substring("checkpoint-epoch-".length(), n.length() - 5));
                    if (epoch < latestEpoch - 1) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        }
    }

    /** Hashes the result files on the training thread so the actor only materializes stream refs. */
    private static TrainingEnded prepareResult(AssignTrial a, Path workDir, TrialResult result) throws IOException {
        List<PreparedFile> files = new ArrayList<>();
        Path resultJson = workDir.resolve(TrialResult.FILE_NAME);
        if (!Files.exists(resultJson)) {
            bitsweep.io.AtomicFiles.writeBytes(resultJson, Json.PRETTY.writeValueAsBytes(result));
        }
        files.add(prepare(TrialResult.FILE_NAME, resultJson));
        String artifactName = null;
        if (result.artifact() != null) {
            Path artifact = workDir.resolve(result.artifact());
            if (!Files.isRegularFile(artifact)) {
                throw new IOException("trainer reported artifact " + artifact + " but it does not exist");
            }
            artifactName = artifact.getFileName().toString();
            if (!artifactName.equals(TrialResult.FILE_NAME)) {
                files.add(prepare(artifactName, artifact));
            }
        }
        return new TrainingEnded(a.trialId(), a.attempt(), result, files, artifactName, null, false);
    }

    /** Hashes a file; a small one is read too, to travel inside the result message (no stream per file). */
    private static PreparedFile prepare(String name, Path file) throws IOException {
        if (Files.size(file) <= FileTransfer.INLINE_MAX_BYTES) {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length <= FileTransfer.INLINE_MAX_BYTES) {
                return new PreparedFile(name, file, FileTransfer.sha256(bytes), bytes);
            }
        }
        return new PreparedFile(name, file, FileTransfer.sha256(file), null);
    }

    private Behavior<Command> onEpoch(EpochEnded msg) {
        if (current != null && current.is(msg.trialId(), msg.attempt()) && !current.token.isCancelled()) {
            current.stepsReported = current.steps.get(); // the progress message is a heartbeat too
            current.epoch = msg.metrics().epoch();
            current.lastEpochSeconds = msg.metrics().seconds();
            supervisor.tell(new SupervisorProtocol.TrialProgress(msg.trialId(), msg.attempt(), msg.metrics(),
                    getContext().getSelf()));
        }
        return this;
    }

    private Behavior<Command> onCheckpoint(CheckpointReady msg) {
        if (current == null || !current.is(msg.trialId(), msg.attempt()) || current.token.isCancelled()) {
            return this;
        }
        try {
            FileOffer offer = FileTransfer.offer(msg.file(), msg.file().getFileName().toString(), msg.sha256(),
                    getContext().getSystem());
            supervisor.tell(new SupervisorProtocol.TrialCheckpoint(msg.trialId(), msg.attempt(), msg.epoch(), offer,
                    getContext().getSelf()));
        } catch (IOException e) {
            getContext().getLog().warn("worker {}: could not offer checkpoint {}: {}", name, msg.file(), e.toString());
        }
        return this;
    }

    private Behavior<Command> onTrainingEnded(TrainingEnded msg) {
        if (current == null || !current.is(msg.trialId(), msg.attempt())) {
            return this;
        }
        boolean cancelled = current.token.isCancelled() || msg.cancelled() || current.released;
        int failedEpoch = current.epoch + 1; // the epoch it was training: the last one reported + 1
        if (cancelled) {
            getContext().getLog().info("worker {}: trial {} stopped (cancelled)", name, msg.trialId());
        } else if (msg.error() != null) {
            String error = describe(msg.error());
            // with the trace: the short error travels to the supervisor, the cause stays in this log
            getContext().getLog().warn("worker {}: trial {} attempt {} failed in epoch {}: {}", name, msg.trialId(),
                    msg.attempt(), failedEpoch, error, msg.error());
            supervisor.tell(new SupervisorProtocol.TrialAttemptFailed(msg.trialId(), msg.attempt(), error,
                    failedEpoch, getContext().getSelf()));
        } else {
            try {
                List<FileOffer> offers = new ArrayList<>();
                for (PreparedFile f : msg.files()) {
                    offers.add(f.inline() != null ? FileTransfer.offerInline(f.name(), f.inline(), f.sha256())
                            : FileTransfer.offer(f.path(), f.name(), f.sha256(), getContext().getSystem()));
                }
                // The history stays in result.json: a long trial's would not fit one cluster message.
                supervisor.tell(new SupervisorProtocol.TrialSucceeded(msg.trialId(), msg.attempt(),
                        msg.result().summary(), offers, msg.artifactName(), getContext().getSelf()));
            } catch (IOException e) {
                supervisor.tell(new SupervisorProtocol.TrialAttemptFailed(msg.trialId(), msg.attempt(),
                        "could not offer result files: " + e, failedEpoch, getContext().getSelf()));
            }
        }
        finishRun();
        return this;
    }

    private Behavior<Command> onHeartbeat(HeartbeatTick msg) {
        if (current == null || current.released || supervisor == null) {
            return this;
        }
        long steps = current.steps.get();
        if (steps != current.stepsReported) { // silence when the trainer did not advance: that is the signal
            current.stepsReported = steps;
            supervisor.tell(new SupervisorProtocol.TrialAlive(current.assignment.trialId(),
                    current.assignment.attempt(), steps, getContext().getSelf()));
        }
        return this;
    }

    private Behavior<Command> onCheckpointUnusable(CheckpointUnusable msg) {
        if (current != null && current.is(msg.trialId(), msg.attempt())) {
            getContext().getLog().warn("worker {}: checkpoint after epoch {} of {} is unusable ({}); attempt {} "
                    + "restarts from epoch 1", name, msg.epoch(), msg.trialId(), msg.reason(), msg.attempt());
            current.epoch = 0;
            supervisor.tell(new SupervisorProtocol.CheckpointRejected(msg.trialId(), msg.attempt(), msg.epoch(),
                    msg.reason(), getContext().getSelf()));
        }
        return this;
    }

    private Behavior<Command> onAbort(AbortAttempt msg) {
        if (current == null || !current.is(msg.trialId(), msg.attempt())) {
            return this;
        }
        getContext().getLog().warn("worker {}: supervisor aborted trial {} attempt {}: {}", name, msg.trialId(),
                msg.attempt(), msg.reason());
        current.token.cancel();
        current.released = true;
        timers.startSingleTimer(new AbortDeadline(msg.trialId(), msg.attempt(), msg.reason()),
                Duration.ofMillis(msg.graceMillis()));
        return this;
    }

    /** The aborted trainer did not return in time: it is hung, and only ending its thread or process helps. */
    private Behavior<Command> onAbortDeadline(AbortDeadline msg) {
        if (current == null || !current.is(msg.trialId(), msg.attempt())) {
            return this; // it stopped in time
        }
        String reason = "trial " + msg.trialId() + " attempt " + msg.attempt() + " did not stop after it was "
                + "aborted (" + msg.reason() + ")";
        if (onHung != null) {
            getContext().getLog().error("worker {}: {}; ending this worker process", name, reason);
            onHung.accept(reason);
            return this;
        }
        getContext().getLog().error("worker {}: {}; abandoning its training thread (this JVM is shared, so it "
                + "cannot be ended; the stuck thread keeps its memory)", name, reason);
        trainingThread.shutdownNow();
        trainingThread = newTrainingThread();
        finishRun();
        return this;
    }

    private Behavior<Command> onHandBack(HandBack msg) {
        if (current != null && !current.released && supervisor != null) {
            getContext().getLog().info("worker {}: shutting down; handing trial {} attempt {} back (resumes from "
                    + "its latest checkpoint)", name, current.assignment.trialId(), current.assignment.attempt());
            current.token.cancel();
            current.released = true;
            supervisor.tell(new SupervisorProtocol.TrialHandedBack(current.assignment.trialId(),
                    current.assignment.attempt(), "worker " + name + " shut down", getContext().getSelf()));
        }
        supervisor = null; // ask no one for more work
        msg.replyTo().tell(Done.getInstance());
        return this;
    }

    private void finishRun() {
        current = null;
        if (supervisor != null) {
            ask();
        }
    }

    private Behavior<Command> onCancel(CancelTrial msg) {
        if (current != null && current.assignment.trialId().equals(msg.trialId())) {
            getContext().getLog().info("worker {}: cancelling trial {} ({})", name, msg.trialId(), msg.reason());
            current.token.cancel();
        }
        return this;
    }

    private Behavior<Command> onStatus(GetWorkerStatus msg) {
        if (current == null) {
            msg.replyTo().tell(new WorkerStatus(name, device, null, 0, 0, 0));
        } else {
            double eta = current.lastEpochSeconds * Math.max(0, current.totalEpochs - current.epoch);
            msg.replyTo().tell(new WorkerStatus(name, device, current.assignment.trialId(), current.epoch,
                    current.totalEpochs, eta));
        }
        return this;
    }

    private Behavior<Command> onStop() {
        if (current != null) {
            current.token.cancel();
        }
        handBackTask.cancel();
        trainingThread.shutdown();
        return this;
    }

    private Path attemptDir(AssignTrial a) {
        return scratch.resolve(SafeNames.require("trial id", a.trialId())).resolve("attempt-" + a.attempt());
    }

    /** Trial ids become folder names here: one portable path element, never "." or "..". */
    static boolean validTrialId(String id) {
        return SafeNames.isSafe(id);
    }

    private static String describe(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return t instanceof bitsweep.trial.TrialFailedException && m != null ? m
                : t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    // --- messages to itself (never leave this actor) -------------------------------------

    /** The receptionist's current supervisors (normally one; none while the singleton moves). */
    private record SupervisorsListed(java.util.Set<ActorRef<SupervisorProtocol.Command>> supervisors)
            implements WorkerProtocol.Internal {
    }

    private record EpochEnded(String trialId, int attempt, EpochMetrics metrics) implements WorkerProtocol.Internal {
    }

    /** The resume checkpoint could not be read; the trainer restarts the attempt from epoch 1. */
    private record CheckpointUnusable(String trialId, int attempt, int epoch, String reason) implements WorkerProtocol.Internal {
    }

    /** The node is shutting down: give the running attempt back, then answer. */
    private record HandBack(ActorRef<org.apache.pekko.Done> replyTo) implements WorkerProtocol.Internal {
    }

    /** Time to tell the supervisor whether the running attempt advanced. */
    private record HeartbeatTick() implements WorkerProtocol.Internal {
    }

    /** The grace after an {@link AbortAttempt} ran out. */
    private record AbortDeadline(String trialId, int attempt, String reason) implements WorkerProtocol.Internal {
    }

    private record CheckpointReady(String trialId, int attempt, int epoch, java.nio.file.Path file, String sha256)
            implements WorkerProtocol.Internal {
    }

    private record ResumeFileReady(String trialId, int attempt, java.nio.file.Path file, Throwable error)
            implements WorkerProtocol.Internal {
    }

    /** Training returned: exactly one of {@code result} and {@code error} is set (or both null when cancelled). */
    private record TrainingEnded(String trialId, int attempt, TrialResult result, java.util.List<PreparedFile> files,
                                String artifactName, Throwable error, boolean cancelled) implements WorkerProtocol.Internal {
    }

    /** A file ready to offer: hashed (and, when small, read) on the training thread, not on the actor's. */
    private record PreparedFile(String name, java.nio.file.Path path, String sha256, byte[] inline) {
    }
}
