package bitsweep.orchestrator.supervisor;

import bitsweep.orchestrator.supervisor.SupervisorEvent.SweepCancelled;
import bitsweep.orchestrator.supervisor.SupervisorEvent.SweepStarted;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialAssigned;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialCancelled;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialCheckpointed;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialCompleted;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialFailed;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialProgressed;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialQueued;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialRequeued;
import bitsweep.protocol.FileOffer;
import bitsweep.protocol.FileTransfer;
import bitsweep.protocol.ServiceKeys;
import bitsweep.protocol.SupervisorProtocol.CancelSweep;
import bitsweep.protocol.SupervisorProtocol.CancelTrial;
import bitsweep.protocol.SupervisorProtocol.CheckpointStored;
import bitsweep.protocol.SupervisorProtocol.Command;
import bitsweep.protocol.SupervisorProtocol.GetStatus;
import bitsweep.protocol.SupervisorProtocol.RefineFrontier;
import bitsweep.protocol.SupervisorProtocol.ResultStored;
import bitsweep.protocol.SupervisorProtocol.Start;
import bitsweep.protocol.SupervisorProtocol.SweepStatus;
import bitsweep.protocol.SupervisorProtocol.Tick;
import bitsweep.protocol.SupervisorProtocol.TransferFailed;
import bitsweep.protocol.SupervisorProtocol.TrialAttemptFailed;
import bitsweep.protocol.SupervisorProtocol.TrialCheckpoint;
import bitsweep.protocol.SupervisorProtocol.TrialProgress;
import bitsweep.protocol.SupervisorProtocol.TrialSucceeded;
import bitsweep.protocol.SupervisorProtocol.WorkerLost;
import bitsweep.protocol.SupervisorProtocol.WorkerReady;
import bitsweep.protocol.SupervisorProtocol.WorkersListed;
import bitsweep.protocol.WorkerProtocol;
import bitsweep.report.Refinement;
import bitsweep.report.SweepFinisher;
import bitsweep.sweep.SweepExpander;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialSpec;
import bitsweep.train.EpochMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import java.time.Duration;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.slf4j.Logger;

/**
 * The sweep supervisor: owns the queue of trials, hands one trial at a time to workers that ask
 * (work pulling: an idle worker's request is parked until work exists, nothing polls), records every
 * state change in its journal and rebuilds itself from it after a restart.
 *
 * <p>Failure semantics: an attempt that fails, or whose worker is lost (stopped, crashed, downed),
 * goes back to the front of the queue and resumes from its latest stored checkpoint; after
 * {@code max-attempts} failures the trial is marked failed with the last error and the sweep goes
 * on. After a supervisor restart, completed trials stay completed and running ones are re-queued —
 * or adopted back, if their worker is still running them and reports progress first.
 *
 * <p>Only the journal's {@link SweepState} is durable; who is idle and who runs what is rebuilt
 * from the receptionist and the workers' own messages.
 */
public final class Supervisor extends EventSourcedBehavior<Command, SupervisorEvent, SweepState> {

    /**
     * Epoch progress is journaled at most this often per trial: it is informational (resuming uses
     * checkpoints), and a journal write per epoch of every trial would stall scheduling of short trials.
     */
    private static final long PROGRESS_PERSIST_INTERVAL_NANOS = 5_000_000_000L;

    private final ActorContext<Command> ctx;
    private final SupervisorSettings settings;
    private final Logger log;
    private final Executor blocking;
    private final TrialsFile trialsFile;
    private final Map<ActorRef<WorkerProtocol.Command>, WorkerSlot> workers = new LinkedHashMap<>();
    private final Set<ActorRef<WorkerProtocol.Command>> idle = new LinkedHashSet<>();
    private final Set<ActorRef<WorkerProtocol.Command>> lost = new java.util.HashSet<>();
    private boolean ready;
    private boolean completionFired;
    /** No refinement proposal is left in this incarnation (the budget is spent or the gaps are closed). */
    private boolean refinementDone;
    private boolean gateOpen;
    private SweepState lastState = SweepState.empty();

    /** What the supervisor knows about one worker; not persisted. */
    private static final class WorkerSlot {
        String name;
        String device = "?";
        String trialId;
        int attempt;
        EpochMetrics lastEpoch;
        long progressPersistedNanos;

        WorkerSlot(String name) {
            this.name = name;
        }
    }

    private record Assignment(ActorRef<WorkerProtocol.Command> worker, String trialId, int attempt) {
    }

    public static Behavior<Command> create(SupervisorSettings settings) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            ctx.getSelf().tell(new Start()); // stashed until the journal has been replayed
            ActorRef<Receptionist.Listing> listings = ctx.messageAdapter(Receptionist.Listing.class,
                    l -> new WorkersListed(l.getServiceInstances(ServiceKeys.WORKER)));
            ctx.getSystem().receptionist().tell(Receptionist.subscribe(ServiceKeys.WORKER, listings));
            ctx.getSystem().receptionist().tell(Receptionist.register(ServiceKeys.SUPERVISOR, ctx.getSelf()));
            timers.startTimerWithFixedDelay(new Tick(), settings.statusInterval());
            return new Supervisor(ctx, settings);
        }));
    }

    /** {@link #create} restarted (with backoff) if it ever throws: it recovers its state from the journal. */
    public static Behavior<Command> supervised(SupervisorSettings settings) {
        return Behaviors.supervise(create(settings)).onFailure(
                SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
    }

    public static PersistenceId persistenceId(String sweepName) {
        return PersistenceId.of("bitsweep-sweep", sweepName);
    }

    private Supervisor(ActorContext<Command> ctx, SupervisorSettings settings) {
        // A failed journal write or replay restarts the supervisor with backoff (it then recovers from
        // the journal) instead of stopping it, which would leave the singleton empty and the sweep stalled.
        super(persistenceId(settings.sweep().name()),
                SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
        this.ctx = ctx;
        this.settings = settings;
        this.log = ctx.getLog();
        this.blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
        this.trialsFile = new TrialsFile(settings.resultsDir());
    }

    @Override
    public SweepState emptyState() {
        return SweepState.empty();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2);
    }

    @Override
    public EventHandler<SweepState, SupervisorEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(SweepState::apply);
    }

    @Override
    public SignalHandler<SweepState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(PostStop.instance(), state -> {
                    if (lastState.started()) {
                        trialsFile.flush(lastState);
                    }
                    trialsFile.close();
                })
                .build();
    }

    @Override
    public CommandHandler<Command, SupervisorEvent, SweepState> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Start.class, this::onStart)
                .onCommand(WorkersListed.class, this::onWorkersListed)
                .onCommand(WorkerReady.class, this::onWorkerReady)
                .onCommand(TrialProgress.class, this::onProgress)
                .onCommand(TrialCheckpoint.class, this::onCheckpoint)
                .onCommand(CheckpointStored.class, this::onCheckpointStored)
                .onCommand(TrialSucceeded.class, this::onSucceeded)
                .onCommand(ResultStored.class, this::onResultStored)
                .onCommand(TransferFailed.class, this::onTransferFailed)
                .onCommand(TrialAttemptFailed.class, this::onAttemptFailed)
                .onCommand(WorkerLost.class, this::onWorkerLost)
                .onCommand(CancelTrial.class, this::onCancelTrial)
                .onCommand(CancelSweep.class, this::onCancelSweep)
                .onCommand(GetStatus.class, this::onGetStatus)
                .onCommand(Tick.class, this::onTick)
                .onCommand(RefineFrontier.class, this::onRefineFrontier)
                .build();
    }

    // --- commands -------------------------------------------------------------------------------

    private Effect<SupervisorEvent, SweepState> onStart(SweepState state, Start cmd) {
        ready = true;
        List<SupervisorEvent> events = new ArrayList<>();
        if (!state.started()) {
            events.add(new SweepStarted(settings.sweep().name(), settings.maxAttempts(), System.currentTimeMillis()));
        }
        int added = 0;
        for (TrialSpec spec : settings.sweep().trials()) {
            if (state.trial(spec.trialId()) == null) {
                events.add(new TrialQueued(spec));
                added++;
            }
        }
        int requeued = 0;
        for (TrialEntry t : state.trials().values()) {
            if (t.status().equals(TrialRecord.RUNNING)) {
                events.add(new TrialRequeued(t.spec().trialId(), "supervisor restarted"));
                requeued++;
            }
        }
        if (state.started()) {
            log.info("sweep {} resumed from its journal: {} completed, {} failed, {} re-queued (were running), "
                            + "{} new trials", settings.sweep().name(), state.count(TrialRecord.COMPLETED),
                    state.count(TrialRecord.FAILED), requeued, added);
        } else {
            log.info("sweep {} started: {} trials, max-attempts {}", settings.sweep().name(), added,
                    settings.maxAttempts());
        }
        return persistAndDispatch(state, events, s -> trialsFile.update(s));
    }

    private Effect<SupervisorEvent, SweepState> onWorkersListed(SweepState state, WorkersListed msg) {
        for (ActorRef<WorkerProtocol.Command> w : msg.workers()) {
            if (!workers.containsKey(w) && !lost.contains(w)) {
                track(w, w.path().toString());
                w.tell(new WorkerProtocol.SupervisorAvailable(ctx.getSelf()));
            }
        }
        return persistAndDispatch(state, List.of(), s -> {
        });
    }

    private Effect<SupervisorEvent, SweepState> onWorkerReady(SweepState state, WorkerReady msg) {
        WorkerSlot slot = track(msg.worker(), msg.workerName());
        slot.name = msg.workerName();
        slot.device = msg.device();
        List<SupervisorEvent> events = new ArrayList<>();
        if (slot.trialId != null) {
            // It believes it is idle, we believed it ran something: that attempt is gone.
            TrialEntry t = state.trial(slot.trialId);
            if (t != null && isRunningAttempt(t, slot.attempt)) {
                events.add(new TrialRequeued(slot.trialId, "worker " + slot.name + " reported idle"));
            }
            slot.trialId = null;
        }
        idle.add(msg.worker());
        return persistAndDispatch(state, events, s -> {
        });
    }

    private Effect<SupervisorEvent, SweepState> onProgress(SweepState state, TrialProgress msg) {
        TrialEntry t = state.trial(msg.trialId());
        WorkerSlot slot = track(msg.worker(), msg.worker().path().toString());
        if (t == null) {
            return Effect().none();
        }
        if (isCurrent(t, msg.trialId(), msg.attempt(), slot)) {
            slot.lastEpoch = msg.metrics();
            long now = System.nanoTime();
            if (now - slot.progressPersistedNanos < PROGRESS_PERSIST_INTERVAL_NANOS) {
                return Effect().none(); // the console has it; the journal gets it at most every few seconds
            }
            slot.progressPersistedNanos = now;
            return Effect().persist(new TrialProgressed(msg.trialId(), msg.metrics()));
        }
        if (t.status().equals(TrialRecord.QUEUED) && slot.trialId == null && !state.cancelled()) {
            // After a supervisor restart the trial was re-queued, but its worker kept running it: adopt it.
            log.info("trial {} adopted back from worker {} (attempt {}, epoch {})", msg.trialId(), slot.name,
                    msg.attempt(), msg.metrics().epoch());
            idle.remove(msg.worker());
            slot.trialId = msg.trialId();
            slot.attempt = Math.max(msg.attempt(), t.attempts());
            slot.lastEpoch = msg.metrics();
            return Effect().persist(List.of(
                    new TrialAssigned(msg.trialId(), slot.attempt, slot.name, System.currentTimeMillis()),
                    new TrialProgressed(msg.trialId(), msg.metrics())));
        }
        msg.worker().tell(new WorkerProtocol.CancelTrial(msg.trialId(),
                "trial is " + t.status() + " and not assigned to this worker"));
        return Effect().none();
    }

    private Effect<SupervisorEvent, SweepState> onCheckpoint(SweepState state, TrialCheckpoint msg) {
        TrialEntry t = state.trial(msg.trialId());
        if (t == null || t.terminal() || msg.epoch() <= t.checkpointEpoch()) {
            return Effect().none();
        }
        String rel = trialDir(msg.trialId()) + "/checkpoints/epoch-" + String.format("%04d", msg.epoch()) + ".ckpt";
        CompletionStage<Path> stored = FileTransfer.receive(msg.file(), settings.resultsDir().resolve(rel),
                ctx.getSystem(), blocking);
        ctx.pipeToSelf(stored, (path, err) -> err == null
                ? new CheckpointStored(msg.trialId(), msg.attempt(), msg.epoch(), rel, msg.file().sha256())
                : new TransferFailed(msg.trialId(), msg.attempt(), "checkpoint", rootMessage(err)));
        return Effect().none();
    }

    private Effect<SupervisorEvent, SweepState> onCheckpointStored(SweepState state, CheckpointStored msg) {
        TrialEntry t = state.trial(msg.trialId());
        if (t == null || t.terminal() || msg.epoch() <= t.checkpointEpoch()) {
            deleteQuietly(msg.relativePath());
            return Effect().none();
        }
        String previous = t.checkpointPath();
        return Effect().persist(new TrialCheckpointed(msg.trialId(), msg.epoch(), msg.relativePath(), msg.sha256()))
                .thenRun(s -> {
                    if (previous != null && !previous.equals(msg.relativePath())) {
                        deleteQuietly(previous); // only the latest checkpoint is needed to resume
                    }
                });
    }

    private Effect<SupervisorEvent, SweepState> onSucceeded(SweepState state, TrialSucceeded msg) {
        TrialEntry t = state.trial(msg.trialId());
        WorkerSlot slot = workers.get(msg.worker());
        if (slot != null && msg.trialId().equals(slot.trialId)) {
            slot.trialId = null;
        }
        if (t == null || t.terminal()) {
            return Effect().none();
        }
        String dir = trialDir(msg.trialId());
        List<CompletableFuture<Path>> transfers = new ArrayList<>();
        for (FileOffer f : msg.files()) {
            transfers.add(FileTransfer.receive(f, settings.resultsDir().resolve(dir).resolve(safeName(f.name())),
                    ctx.getSystem(), blocking).toCompletableFuture());
        }
        String artifact = msg.artifactName() == null ? null : dir + "/" + safeName(msg.artifactName());
        CompletableFuture<Void> all = CompletableFuture.allOf(transfers.toArray(new CompletableFuture[0]));
        ctx.pipeToSelf(all, (ok, err) -> err == null
                ? new ResultStored(msg.trialId(), msg.attempt(), msg.result(), artifact)
                : new TransferFailed(msg.trialId(), msg.attempt(), "result", rootMessage(err)));
        return Effect().none();
    }

    private Effect<SupervisorEvent, SweepState> onResultStored(SweepState state, ResultStored msg) {
        TrialEntry t = state.trial(msg.trialId());
        if (t == null || t.terminal()) {
            return Effect().none();
        }
        for (Map.Entry<ActorRef<WorkerProtocol.Command>, WorkerSlot> w : workers.entrySet()) {
            if (msg.trialId().equals(w.getValue().trialId)) { // a duplicate run elsewhere is now pointless
                w.getKey().tell(new WorkerProtocol.CancelTrial(msg.trialId(), "completed elsewhere"));
                w.getValue().trialId = null;
            }
        }
        log.info("trial {} completed (attempt {}): top-1 {}%, relative BOPs {}%", msg.trialId(), msg.attempt(),
                String.format("%.2f", msg.result().top1()), String.format("%.3f", msg.result().relativeBops()));
        return persistAndDispatch(state, List.of(new TrialCompleted(msg.trialId(), msg.result(), msg.artifact(),
                System.currentTimeMillis())), s -> {
        });
    }

    private Effect<SupervisorEvent, SweepState> onTransferFailed(SweepState state, TransferFailed msg) {
        log.warn("transfer of {} for trial {} (attempt {}) failed: {}", msg.what(), msg.trialId(), msg.attempt(),
                msg.error());
        TrialEntry t = state.trial(msg.trialId());
        if (!msg.what().equals("result") || t == null || t.terminal() || t.attempts() != msg.attempt()) {
            return Effect().none();
        }
        return persistAndDispatch(state, List.of(failure(state, t, "result transfer failed: " + msg.error())),
                s -> {
                });
    }

    private Effect<SupervisorEvent, SweepState> onAttemptFailed(SweepState state, TrialAttemptFailed msg) {
        TrialEntry t = state.trial(msg.trialId());
        WorkerSlot slot = workers.get(msg.worker());
        if (slot != null && msg.trialId().equals(slot.trialId)) {
            slot.trialId = null;
        }
        if (t == null || !isRunningAttempt(t, msg.attempt())) {
            return Effect().none();
        }
        log.warn("trial {} attempt {} failed on {}: {}", msg.trialId(), msg.attempt(),
                slot == null ? msg.worker().path() : slot.name, msg.error());
        return persistAndDispatch(state, List.of(failure(state, t, msg.error())), s -> {
        });
    }

    private Effect<SupervisorEvent, SweepState> onWorkerLost(SweepState state, WorkerLost msg) {
        WorkerSlot slot = workers.remove(msg.worker());
        idle.remove(msg.worker());
        lost.add(msg.worker()); // the receptionist may still list it for a moment
        if (slot == null || slot.trialId == null) {
            if (slot != null) {
                log.info("worker {} left", slot.name);
            }
            return Effect().none();
        }
        TrialEntry t = state.trial(slot.trialId);
        if (t == null || !isRunningAttempt(t, slot.attempt)) {
            return Effect().none();
        }
        log.warn("worker {} was lost while running trial {} (attempt {}); re-queued, resumes from epoch {}",
                slot.name, slot.trialId, slot.attempt, t.checkpointEpoch());
        return persistAndDispatch(state, List.of(failure(state, t,
                "worker " + slot.name + " was lost (stopped, crashed or downed)")), s -> {
        });
    }

    private Effect<SupervisorEvent, SweepState> onCancelTrial(SweepState state, CancelTrial msg) {
        TrialEntry t = state.trial(msg.trialId());
        if (t == null || t.terminal()) {
            return Effect().none();
        }
        tellRunningWorker(msg.trialId(), "cancelled by user");
        log.info("trial {} cancelled", msg.trialId());
        return persistAndDispatch(state, List.of(new TrialCancelled(msg.trialId())), s -> {
        });
    }

    private Effect<SupervisorEvent, SweepState> onCancelSweep(SweepState state, CancelSweep msg) {
        if (state.cancelled()) {
            return Effect().none();
        }
        for (WorkerSlot slot : workers.values()) {
            if (slot.trialId != null) {
                tellRunningWorker(slot.trialId, "sweep cancelled");
            }
        }
        log.info("sweep {} cancelled", settings.sweep().name());
        return persistAndDispatch(state, List.of(new SweepCancelled(System.currentTimeMillis())), s -> {
        });
    }

    private Effect<SupervisorEvent, SweepState> onGetStatus(SweepState state, GetStatus msg) {
        List<String> names = new ArrayList<>();
        workers.values().forEach(w -> names.add(w.name));
        msg.replyTo().tell(new SweepStatus(settings.sweep().name(), state.records(), names, state.allTerminal()));
        return Effect().none();
    }

    private Effect<SupervisorEvent, SweepState> onTick(SweepState state, Tick msg) {
        if (ready && !completionFired) {
            log.info(ConsoleView.render(state, workers.values().stream()
                    .map(w -> new ConsoleView.WorkerLine(w.name, w.device, w.trialId, w.lastEpoch,
                            w.trialId == null ? null : state.trial(w.trialId)))
                    .toList()));
        }
        return Effect().none();
    }

    // --- scheduling -----------------------------------------------------------------------------

    /**
     * Persists {@code events}, then as many assignments as there are idle workers and queued trials
     * (all in one journal write), then sends the assignments.
     */
    private Effect<SupervisorEvent, SweepState> persistAndDispatch(SweepState state, List<SupervisorEvent> events,
                                                                  Consumer<SweepState> after) {
        SweepState next = state;
        for (SupervisorEvent e : events) {
            next = next.apply(e);
        }
        List<Assignment> assignments = plan(next);
        if (events.isEmpty() && assignments.isEmpty()) {
            after.accept(state);
            return Effect().none();
        }
        List<SupervisorEvent> all = new ArrayList<>(events);
        long now = System.currentTimeMillis();
        for (Assignment a : assignments) {
            all.add(new TrialAssigned(a.trialId(), a.attempt(), workers.get(a.worker()).name, now));
        }
        // Assignments go out before the journal write completes: the worker starts one fsync sooner. If the
        // supervisor dies before the write, the trial is still queued in the journal; the worker's progress
        // then adopts it back (or it is cancelled there and re-run) — nothing is lost or double-counted.
        for (Assignment a : assignments) {
            send(next, a);
        }
        return Effect().persist(all).thenRun(s -> {
            lastState = s;
            trialsFile.update(s);
            after.accept(s);
            maybeComplete(s);
        });
    }

    private List<Assignment> plan(SweepState s) {
        List<Assignment> out = new ArrayList<>();
        if (!gateOpen && workers.size() >= settings.minWorkers()) {
            gateOpen = true; // a start gate only: losing workers later must not stop the sweep
        }
        if (!ready || !gateOpen || !s.started() || s.cancelled()) {
            return out;
        }
        var queue = s.queue().iterator();
        var it = idle.iterator();
        while (it.hasNext() && queue.hasNext()) {
            ActorRef<WorkerProtocol.Command> w = it.next();
            String trialId = queue.next();
            TrialEntry t = s.trial(trialId);
            it.remove();
            WorkerSlot slot = workers.get(w);
            slot.trialId = trialId;
            slot.attempt = t.attempts() + 1;
            slot.lastEpoch = null;
            slot.progressPersistedNanos = System.nanoTime();
            out.add(new Assignment(w, trialId, slot.attempt));
        }
        return out;
    }

    private void send(SweepState s, Assignment a) {
        TrialEntry t = s.trial(a.trialId());
        FileOffer checkpoint = null;
        int epoch = 0;
        if (t.checkpointPath() != null) {
            try {
                checkpoint = FileTransfer.offer(settings.resultsDir().resolve(t.checkpointPath()),
                        "checkpoint-epoch-" + t.checkpointEpoch() + ".ckpt", t.checkpointSha(), ctx.getSystem());
                epoch = t.checkpointEpoch();
            } catch (IOException e) {
                log.warn("checkpoint {} of trial {} is unreadable ({}); the trial restarts from epoch 1",
                        t.checkpointPath(), a.trialId(), e.toString());
            }
        }
        log.debug("trial {} attempt {} -> {}", a.trialId(), a.attempt(), workers.get(a.worker()).name);
        a.worker().tell(new WorkerProtocol.AssignTrial(a.trialId(), a.attempt(), t.spec(), checkpoint, epoch));
    }

    private void maybeComplete(SweepState s) {
        if (completionFired || !ready || !s.allTerminal()) {
            return;
        }
        if (!refinementDone && !s.cancelled() && refinementLeft(s) > 0) {
            // persisting needs a command handler: the proposals are made there
            ctx.getSelf().tell(new RefineFrontier());
            return;
        }
        completionFired = true;
        trialsFile.flush(s);
        long first = s.trials().values().stream().mapToLong(TrialEntry::assignedAtMillis).filter(v -> v > 0)
                .min().orElse(0);
        long last = s.trials().values().stream().mapToLong(TrialEntry::completedAtMillis).max().orElse(0);
        SweepCompletion completion = new SweepCompletion(settings.sweep().name(), settings.resultsDir(), s.records(),
                first, last);
        log.info("sweep {}: every trial finished ({} completed, {} failed, {} cancelled)", settings.sweep().name(),
                s.count(TrialRecord.COMPLETED), s.count(TrialRecord.FAILED), s.count(TrialRecord.CANCELLED));
        CompletableFuture.runAsync(() -> {
            try {
                settings.hook().onSweepComplete(completion);
            } catch (Exception e) {
                log.error("sweep completion hook failed", e);
            }
        }, blocking);
    }

    // --- refinement -----------------------------------------------------------------------------

    /**
     * Once every trial has ended, queues up to one trial per worker at the geometric-midpoint MU of the
     * widest frontier gaps ({@link Refinement}); when those have ended the frontier is re-read and the
     * next round proposed, until the sweep's {@code refine: extra-trials} budget is spent or no gap is
     * left. Refinement trials are ordinary {@link TrialQueued} events, so a restarted supervisor keeps
     * them and counts them against the budget.
     */
    private Effect<SupervisorEvent, SweepState> onRefineFrontier(SweepState state, RefineFrontier msg) {
        if (completionFired || refinementDone || !state.allTerminal()) {
            return Effect().none();
        }
        int left = refinementLeft(state);
        int round = Math.min(left, Math.max(1, workers.size()));
        List<SupervisorEvent> events = new ArrayList<>();
        Set<String> queued = new LinkedHashSet<>();
        for (Refinement.Proposal p : Refinement.forSweep(state.records(), round)) {
            TrialEntry base = state.trial(p.baseTrialId());
            if (base == null) {
                continue;
            }
            TrialSpec spec = SweepExpander.derive(base.spec(), Map.of("gating-lambda", p.mu()));
            if (state.trial(spec.trialId()) == null && queued.add(spec.trialId())) {
                events.add(new TrialQueued(spec));
                log.info("refinement: trial {} ({}, MU {}) splits the frontier gap next to {}", spec.trialId(),
                        p.variant(), p.mu(), p.baseTrialId());
            }
        }
        if (events.isEmpty()) {
            refinementDone = true;
            log.info("refinement: no frontier gap left to split ({} extra trial(s) unused)", left);
            maybeComplete(state);
            return Effect().none();
        }
        writeInterimFrontier(state);
        return persistAndDispatch(state, events, s -> { });
    }

    /** Extra trials the sweep may still add: its budget minus trials the journal has beyond the grid. */
    private int refinementLeft(SweepState s) {
        Set<String> grid = new java.util.HashSet<>();
        settings.sweep().trials().forEach(t -> grid.add(t.trialId()));
        long extra = s.trials().keySet().stream().filter(id -> !grid.contains(id)).count();
        return (int) Math.max(0, settings.sweep().refineExtraTrials() - extra);
    }

    /** Frontier files of the grid so far (no export), so users see it while the refinement runs. */
    private void writeInterimFrontier(SweepState s) {
        trialsFile.flush(s);
        Path dir = settings.resultsDir();
        CompletableFuture.runAsync(() -> {
            try {
                new SweepFinisher(null).finish(dir);
            } catch (Exception e) {
                log.warn("could not write the interim frontier in {}: {}", dir, e.toString());
            }
        }, blocking);
    }

    // --- helpers --------------------------------------------------------------------------------

    private SupervisorEvent failure(SweepState state, TrialEntry t, String error) {
        boolean permanent = t.failures() + 1 >= state.maxAttempts();
        if (permanent) {
            log.error("trial {} failed {} times; marked failed: {}", t.spec().trialId(), t.failures() + 1, error);
        }
        return new TrialFailed(t.spec().trialId(), error, permanent);
    }

    private WorkerSlot track(ActorRef<WorkerProtocol.Command> worker, String name) {
        return workers.computeIfAbsent(worker, w -> {
            ctx.watchWith(w, new WorkerLost(w));
            log.info("worker {} joined", name);
            return new WorkerSlot(name);
        });
    }

    private static boolean isRunningAttempt(TrialEntry t, int attempt) {
        return t.status().equals(TrialRecord.RUNNING) && t.attempts() == attempt;
    }

    private static boolean isCurrent(TrialEntry t, String trialId, int attempt, WorkerSlot slot) {
        return isRunningAttempt(t, attempt) && trialId.equals(slot.trialId) && slot.attempt == attempt;
    }

    private void tellRunningWorker(String trialId, String reason) {
        for (Map.Entry<ActorRef<WorkerProtocol.Command>, WorkerSlot> w : workers.entrySet()) {
            if (trialId.equals(w.getValue().trialId)) {
                w.getKey().tell(new WorkerProtocol.CancelTrial(trialId, reason));
                w.getValue().trialId = null;
            }
        }
    }

    private void deleteQuietly(String relative) {
        try {
            Files.deleteIfExists(settings.resultsDir().resolve(relative));
        } catch (IOException e) {
            log.debug("could not delete {}: {}", relative, e.toString());
        }
    }

    /** Trial ids become directory names; keep them to a portable character set. */
    public static String trialDir(String trialId) {
        return "trials/" + safeName(trialId);
    }

    static String safeName(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.startsWith(".") ? "_" + s.substring(1) : s;
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException
                || t instanceof java.io.UncheckedIOException)) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
