package bitsweep.worker;

import bitsweep.protocol.FileOffer;
import bitsweep.protocol.FileTransfer;
import bitsweep.protocol.ServiceKeys;
import bitsweep.protocol.SupervisorProtocol;
import bitsweep.protocol.WorkerProtocol.AssignTrial;
import bitsweep.protocol.WorkerProtocol.CancelTrial;
import bitsweep.protocol.WorkerProtocol.CheckpointReady;
import bitsweep.protocol.WorkerProtocol.Command;
import bitsweep.protocol.WorkerProtocol.EpochEnded;
import bitsweep.protocol.WorkerProtocol.GetWorkerStatus;
import bitsweep.protocol.WorkerProtocol.PreparedFile;
import bitsweep.protocol.WorkerProtocol.ResumeFileReady;
import bitsweep.protocol.WorkerProtocol.SupervisorAvailable;
import bitsweep.protocol.WorkerProtocol.SupervisorsListed;
import bitsweep.protocol.WorkerProtocol.TrainingEnded;
import bitsweep.protocol.WorkerProtocol.WorkerStatus;
import bitsweep.train.CancellationToken;
import bitsweep.train.EpochMetrics;
import bitsweep.train.TrialCancelledException;
import bitsweep.train.TrialListener;
import bitsweep.train.TrialRequest;
import bitsweep.train.TrialResult;
import bitsweep.train.TrialRunner;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * One worker per device. Registers with the receptionist, asks the supervisor for one trial when
 * idle, runs it on its own training thread (never on an actor dispatcher, so the actor keeps
 * answering status and cancel requests), streams epoch progress, ships checkpoints and the final
 * result files to the supervisor's artifact store, then asks again.
 *
 * <p>Files live in this node's own scratch directory ({@code <scratch>/<trial>/attempt-N/}); nothing
 * assumes the supervisor can see them.
 */
public final class DeviceWorker extends AbstractBehavior<Command> {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final String device;
    private final TrialRunner runner;
    private final Path scratch;
    private final ExecutorService trainingThread;
    private final java.util.concurrent.Executor blocking;
    private final AssignmentLatency latency;
    private ActorRef<SupervisorProtocol.Command> supervisor;
    private long askedAtNanos;
    private boolean asked;
    private boolean everAssigned;
    private Run current;

    /** The trial this worker is running. */
    private static final class Run {
        final AssignTrial assignment;
        final CancellationToken token = new CancellationToken();
        final long startNanos = System.nanoTime();
        final int totalEpochs;
        int epoch;
        double lastEpochSeconds;

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

    public static Behavior<Command> create(String name, String device, TrialRunner runner, Path scratch,
                                           AssignmentLatency latency) {
        return Behaviors.setup(ctx -> {
            ctx.getSystem().receptionist().tell(Receptionist.register(ServiceKeys.WORKER, ctx.getSelf()));
            ActorRef<Receptionist.Listing> listings = ctx.messageAdapter(Receptionist.Listing.class,
                    l -> new SupervisorsListed(l.getServiceInstances(ServiceKeys.SUPERVISOR)));
            ctx.getSystem().receptionist().tell(Receptionist.subscribe(ServiceKeys.SUPERVISOR, listings));
            return new DeviceWorker(ctx, name, device, runner, scratch, latency);
        });
    }

    private DeviceWorker(ActorContext<Command> ctx, String name, String device, TrialRunner runner, Path scratch,
                         AssignmentLatency latency) {
        super(ctx);
        this.name = name;
        this.device = device;
        this.runner = runner;
        this.scratch = scratch;
        this.latency = latency;
        this.blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
        this.trainingThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bitsweep-train-" + name.replaceAll("[^A-Za-z0-9]", "-"));
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
                .onMessage(GetWorkerStatus.class, this::onStatus)
                .onSignal(PostStop.class, s -> onStop())
                .onSignal(PreRestart.class, s -> onStop())
                .build();
    }

    private Behavior<Command> onSupervisor(SupervisorAvailable msg) {
        if (!msg.supervisor().equals(supervisor)) {
            supervisor = msg.supervisor();
            asked = false;
            getContext().getLog().info("worker {}: supervisor is {}", name, supervisor.path());
        }
        if (current == null && !asked) {
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
        supervisor.tell(new SupervisorProtocol.WorkerReady(getContext().getSelf(), name, device));
    }

    private Behavior<Command> onAssign(AssignTrial msg) {
        if (asked) {
            latency.record(System.nanoTime() - askedAtNanos, !everAssigned);
        }
        everAssigned = true;
        asked = false;
        if (current != null) {
            getContext().getLog().warn("worker {} is busy with {}; refusing {}", name,
                    current.assignment.trialId(), msg.trialId());
            supervisor.tell(new SupervisorProtocol.TrialAttemptFailed(msg.trialId(), msg.attempt(),
                    "worker " + name + " was busy", getContext().getSelf()));
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
        TrialListener listener = new TrialListener() {
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
        TrialRequest request = new TrialRequest(a.trialId(), a.spec().config(), workDir, resumeFrom, device);
        CompletableFuture<TrainingEnded> run = CompletableFuture.supplyAsync(() -> {
            try {
                Files.createDirectories(workDir);
                TrialResult result = runner.run(request, listener, token);
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
        Path resultJson = workDir.resolve("result.json");
        if (!Files.exists(resultJson)) {
            bitsweep.io.AtomicFiles.writeBytes(resultJson, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(result));
        }
        files.add(new PreparedFile("result.json", resultJson, FileTransfer.sha256(resultJson)));
        String artifactName = null;
        if (result.artifact() != null) {
            Path artifact = workDir.resolve(result.artifact());
            if (!Files.isRegularFile(artifact)) {
                throw new IOException("trainer reported artifact " + artifact + " but it does not exist");
            }
            artifactName = artifact.getFileName().toString();
            if (!artifactName.equals("result.json")) {
                files.add(new PreparedFile(artifactName, artifact, FileTransfer.sha256(artifact)));
            }
        }
        return new TrainingEnded(a.trialId(), a.attempt(), result, files, artifactName, null, false);
    }

    private Behavior<Command> onEpoch(EpochEnded msg) {
        if (current != null && current.is(msg.trialId(), msg.attempt()) && !current.token.isCancelled()) {
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
        boolean cancelled = current.token.isCancelled() || msg.cancelled();
        if (cancelled) {
            getContext().getLog().info("worker {}: trial {} stopped (cancelled)", name, msg.trialId());
        } else if (msg.error() != null) {
            String error = describe(msg.error());
            // with the trace: the short error travels to the supervisor, the cause stays in this log
            getContext().getLog().warn("worker {}: trial {} attempt {} failed: {}", name, msg.trialId(),
                    msg.attempt(), error, msg.error());
            supervisor.tell(new SupervisorProtocol.TrialAttemptFailed(msg.trialId(), msg.attempt(), error,
                    getContext().getSelf()));
        } else {
            try {
                List<FileOffer> offers = new ArrayList<>();
                for (PreparedFile f : msg.files()) {
                    offers.add(FileTransfer.offer(f.path(), f.name(), f.sha256(), getContext().getSystem()));
                }
                supervisor.tell(new SupervisorProtocol.TrialSucceeded(msg.trialId(), msg.attempt(), msg.result(),
                        offers, msg.artifactName(), getContext().getSelf()));
            } catch (IOException e) {
                supervisor.tell(new SupervisorProtocol.TrialAttemptFailed(msg.trialId(), msg.attempt(),
                        "could not offer result files: " + e, getContext().getSelf()));
            }
        }
        finishRun();
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
        trainingThread.shutdown();
        return this;
    }

    private Path attemptDir(AssignTrial a) {
        return scratch.resolve(bitsweep.io.SafeNames.require("trial id", a.trialId())).resolve("attempt-" + a.attempt());
    }

    private static String describe(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return t instanceof bitsweep.train.TrialFailedException && m != null ? m
                : t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
