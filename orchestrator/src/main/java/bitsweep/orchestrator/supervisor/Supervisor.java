package bitsweep.orchestrator.supervisor;

import bitsweep.orchestrator.supervisor.SupervisorEvent.SweepStarted;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialAssigned;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialCheckpointDiscarded;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialCheckpointed;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialCompleted;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialProgressed;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialQueued;
import bitsweep.protocol.FileOffer;
import bitsweep.protocol.ServiceKeys;
import bitsweep.protocol.SupervisorProtocol.CancelSweep;
import bitsweep.protocol.SupervisorProtocol.CancelTrial;
import bitsweep.protocol.SupervisorProtocol.CheckpointRejected;
import bitsweep.protocol.SupervisorProtocol.Command;
import bitsweep.protocol.SupervisorProtocol.ControlReply;
import bitsweep.protocol.SupervisorProtocol.ExtendSweep;
import bitsweep.protocol.SupervisorProtocol.GetLiveView;
import bitsweep.protocol.SupervisorProtocol.GetStatus;
import bitsweep.protocol.SupervisorProtocol.PauseSweep;
import bitsweep.protocol.SupervisorProtocol.ResumeSweep;
import bitsweep.protocol.SupervisorProtocol.SweepStatus;
import bitsweep.protocol.SupervisorProtocol.TrialAlive;
import bitsweep.protocol.SupervisorProtocol.TrialAttemptFailed;
import bitsweep.protocol.SupervisorProtocol.TrialCheckpoint;
import bitsweep.protocol.SupervisorProtocol.TrialHandedBack;
import bitsweep.protocol.SupervisorProtocol.TrialProgress;
import bitsweep.protocol.SupervisorProtocol.TrialSucceeded;
import bitsweep.protocol.SupervisorProtocol.WorkerReady;
import bitsweep.protocol.SupervisorProtocol;
import bitsweep.protocol.WorkerProtocol;
import bitsweep.sweep.TrialSpec;
import bitsweep.sweep.TrialStatus;
import bitsweep.trial.TrialResult;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.ClusterActorRefProvider;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * The sweep supervisor: a thin event-sourced actor over plain, separately tested parts — pull
 * scheduling and fencing ({@link WorkerRegistry}), hung-attempt detection ({@link Liveness}), retry
 * accounting ({@link RetryPolicy}), the trial files ({@link ArtifactStore}), whose word counts
 * ({@link Fencing}) and the sweep's end ({@link SweepEnding}: refinement rounds, the completion hook).
 *
 * <p>Every assignment is journaled before it is sent, so an attempt number is never handed out twice.
 * Every message from a worker names its attempt; anything from an attempt that is not the current
 * one, or from a worker that does not run it, is ignored, logged and counted ({@link SweepStatus#ignored}).
 * The one exception is adoption: after a supervisor restart the journal re-queues running trials, and a
 * worker that reports the still-current attempt of such a trial gets it back.
 *
 * <p>Only the journal's {@link SweepState} is durable; who is idle and who runs what is rebuilt from
 * the receptionist and the workers' own messages after every recovery.
 */
public final class Supervisor extends EventSourcedBehavior<Command, SupervisorEvent, SweepState> {

    /**
     * Epoch progress is journaled at most this often per trial: it is informational (resuming uses
     * checkpoints), and a journal write per epoch of every trial would stall scheduling of short trials.
     */
    private static final long PROGRESS_PERSIST_INTERVAL_NANOS = 5_000_000_000L;
    private static final Duration LIVENESS_CHECK_INTERVAL = Duration.ofSeconds(1);
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);
    /** Marks the periodic status line, which a terminal's live view replaces on the console. */
    public static final Marker STATUS_LINE = MarkerFactory.getMarker("BITSWEEP_STATUS_LINE");
    static final String ABORT_GRACE = "bitsweep.supervisor.abort-grace";

    private final ActorContext<Command> ctx;
    private final SupervisorSettings settings;
    private final Logger log;
    private final Executor blocking;
    private final TrialsFile trialsFile;
    private final ArtifactStore store;
    private boolean assignedYet;
    private final SweepEnding ending;
    private final ActorRef<Receptionist.Listing> listings;
    private final WorkerRegistry<ActorRef<WorkerProtocol.Command>> registry = new WorkerRegistry<>();
    private final Liveness liveness;
    /** Nodes seen up: a worker is tracked and death-watched only then (see {@link WorkerNodes}). */
    private final WorkerNodes nodes;
    /** How long an aborted attempt's trainer may take to stop before its worker ends it as hung. */
    private final Duration abortGrace;
    private boolean ready;
    private boolean gateOpen;
    private long ignored;
    private SweepState lastState = SweepState.empty();
    /** The latest journal events for the live view; filled by the event handler (so also by replay). */
    private final EventFeed feed = new EventFeed();
    private boolean recovered;
    /** Events of commands that arrived together, journaled by one write (group commit, see JournalBatch). */
    private final JournalBatch batch = new JournalBatch();

    public static Behavior<Command> create(SupervisorSettings settings) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            ActorRef<Receptionist.Listing> listings = ctx.messageAdapter(Receptionist.Listing.class,
                    l -> new WorkersListed(l.getServiceInstances(ServiceKeys.WORKER)));
            ctx.getSystem().receptionist().tell(Receptionist.subscribe(ServiceKeys.WORKER, listings));
            ctx.getSystem().receptionist().tell(Receptionist.register(ServiceKeys.SUPERVISOR, ctx.getSelf()));
            timers.startTimerWithFixedDelay(new Tick(), settings.statusInterval());
            timers.startTimerWithFixedDelay(new ProgressTick(), PROGRESS_INTERVAL);
            timers.startTimerWithFixedDelay(new CheckLiveness(), LIVENESS_CHECK_INTERVAL);
            boolean clustered = ((ExtendedActorSystem) Adapter.toClassic(ctx.getSystem())).provider()
                    instanceof ClusterActorRefProvider;
            if (clustered) { // the current members come first, as events
                var subscriptions = Cluster.get(ctx.getSystem()).subscriptions();
                subscriptions.tell(Subscribe.create(ctx.messageAdapter(ClusterEvent.MemberUp.class,
                        e -> new NodeUp(e.member().address())), ClusterEvent.MemberUp.class));
                subscriptions.tell(Subscribe.create(ctx.messageAdapter(ClusterEvent.MemberWeaklyUp.class,
                        e -> new NodeUp(e.member().address())), ClusterEvent.MemberWeaklyUp.class));
                subscriptions.tell(Subscribe.create(ctx.messageAdapter(ClusterEvent.MemberRemoved.class,
                        e -> new NodeRemoved(e.member().address())), ClusterEvent.MemberRemoved.class));
            }
            return new Supervisor(ctx, settings, listings, new WorkerNodes(clustered));
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

    private Supervisor(ActorContext<Command> ctx, SupervisorSettings settings, ActorRef<Receptionist.Listing> listings,
                       WorkerNodes nodes) {
        // A failed journal write or replay restarts the event sourcing with backoff; RecoveryCompleted then
        // drops every in-memory belief (see onRecovered), so nothing half-updated survives it.
        super(persistenceId(settings.sweep().name()),
                SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
        this.ctx = ctx;
        this.settings = settings;
        this.log = ctx.getLog();
        this.listings = listings;
        this.nodes = nodes;
        this.blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
        this.trialsFile = new TrialsFile(settings.resultsDir());
        this.store = new ArtifactStore(settings.resultsDir(), ctx.getSystem(), blocking, settings.replica());
        this.ending = new SweepEnding(settings, trialsFile, blocking);
        this.liveness = new Liveness(settings.sweep().stallTimeout(), settings.sweep().maxTrialTime());
        var config = ctx.getSystem().settings().config();
        this.abortGrace = config.hasPath(ABORT_GRACE) ? config.getDuration(ABORT_GRACE) : Duration.ofSeconds(30);
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
        return newEventHandlerBuilder().forAnyState().onAnyEvent((state, event) -> {
            feed.add(lastSequenceNumber(ctx), event, recovered ? System.currentTimeMillis() : 0);
            trialsFile.changed(event); // written (appended) with the next update
            return state.apply(event);
        });
    }

    @Override
    public SignalHandler<SweepState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), this::onRecovered)
                .onSignal(PostStop.instance(), state -> {
                    if (lastState.started()) {
                        trialsFile.flush(lastState);
                    }
                    trialsFile.close();
                })
                .build();
    }

    /**
     * After every (re)play of the journal: forget who was idle or ran what (the journal does not know),
     * then start over from the journal's state and ask the receptionist for the workers, which are
     * re-introduced to this supervisor and ask for work again.
     */
    private void onRecovered(SweepState state) {
        batch.discard(); // never written: its assignments were never sent
        registry.clear();
        liveness.clear();
        ready = false;
        recovered = true;
        // Before any assignment: results a crash left unpromoted, then (another orchestrator after a failover, or a
        // lost disk) the files the journal names that are not on this disk, which an assignment may offer.
        ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> {
            try {
                store.finishPromotions(state);
            } catch (IOException e) {
                // the copy may still hold what this disk cannot give: restore from it regardless
                log.error("could not promote the result files a crash left under their incoming names ({})",
                        rootMessage(e));
            }
            try {
                return store.restoreMissing(state);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, blocking), (restored, err) -> {
            if (err != null) {
                log.error("could not restore the sweep's files from the artifact copy ({}); trials whose checkpoint is "
                        + "missing restart from epoch 1", rootMessage(err));
            } else if (restored > 0) {
                log.info("restored {} checkpoint and result file(s) from the artifact copy", restored);
            }
            return new Start();
        });
        ctx.getSystem().receptionist().tell(Receptionist.find(ServiceKeys.WORKER, listings));
    }

    @Override
    public CommandHandler<Command, SupervisorEvent, SweepState> commandHandler() {
        // Every command decides on the durable state plus the events still waiting for their write
        // (JournalBatch), except the status answer, which reports only what is durable.
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Start.class, (s, c) -> onStart(batch.view(s), c))
                .onCommand(WorkersListed.class, (s, c) -> onWorkersListed(batch.view(s), c))
                .onCommand(WorkerReady.class, (s, c) -> onWorkerReady(batch.view(s), c))
                .onCommand(TrialProgress.class, (s, c) -> onProgress(batch.view(s), c))
                .onCommand(TrialAlive.class, (s, c) -> onAlive(batch.view(s), c))
                .onCommand(TrialCheckpoint.class, (s, c) -> onCheckpoint(batch.view(s), c))
                .onCommand(CheckpointStored.class, (s, c) -> onCheckpointStored(batch.view(s), c))
                .onCommand(CheckpointRejected.class, (s, c) -> onCheckpointRejected(batch.view(s), c))
                .onCommand(TrialSucceeded.class, (s, c) -> onSucceeded(batch.view(s), c))
                .onCommand(ResultStored.class, (s, c) -> onResultStored(batch.view(s), c))
                .onCommand(TransferFailed.class, (s, c) -> onTransferFailed(batch.view(s), c))
                .onCommand(TrialAttemptFailed.class, (s, c) -> onAttemptFailed(batch.view(s), c))
                .onCommand(TrialHandedBack.class, (s, c) -> onHandedBack(batch.view(s), c))
                .onCommand(WorkerLost.class, (s, c) -> onWorkerLost(batch.view(s), c))
                .onCommand(NodeUp.class, (s, c) -> onNodeUp(batch.view(s), c))
                .onCommand(NodeRemoved.class, (s, c) -> onNodeRemoved(batch.view(s), c))
                .onCommand(CheckLiveness.class, (s, c) -> onCheckLiveness(batch.view(s), c))
                .onCommand(CancelTrial.class, (s, c) -> onCancelTrial(batch.view(s), c))
                .onCommand(CancelSweep.class, (s, c) -> onCancelSweep(batch.view(s), c))
                .onCommand(GetStatus.class, this::onGetStatus)
                .onCommand(PauseSweep.class, (s, c) -> onPause(batch.view(s), c))
                .onCommand(ResumeSweep.class, (s, c) -> onResume(batch.view(s), c))
                .onCommand(ExtendSweep.class, (s, c) -> onExtend(batch.view(s), c))
                .onCommand(GetLiveView.class, (s, c) -> onGetLiveView(batch.view(s), c))
                .onCommand(Tick.class, (s, c) -> onTick(batch.view(s), c))
                .onCommand(ProgressTick.class, (s, c) -> onProgressTick(batch.view(s), c))
                .onCommand(RefineFrontier.class, (s, c) -> onRefineFrontier(batch.view(s), c))
                .onCommand(Flush.class, (s, c) -> flush())
                .build();
    }

    // --- start and workers ------------------------------------------------------------------------

    private Effect<SupervisorEvent, SweepState> onStart(SweepState state, Start cmd) {
        if (ready) {
            return Effect().none();
        }
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
            if (t.status() == TrialStatus.RUNNING) {
                events.add(RetryPolicy.interruption(t, "supervisor restarted"));
                requeued++;
            }
        }
        if (state.started()) {
            log.info("sweep {} resumed from its journal: {} completed, {} failed, {} re-queued (were running), "
                            + "{} new trials", settings.sweep().name(), state.count(TrialStatus.COMPLETED),
                    state.count(TrialStatus.FAILED), requeued, added);
        } else {
            log.info("sweep {} started: {} trials, max-attempts {}, stall-timeout {}{}", settings.sweep().name(),
                    added, settings.maxAttempts(), settings.sweep().stallTimeout() == null
                            ? "auto (>= " + Liveness.human(Liveness.MIN_AUTO_STALL.toNanos()) + ")"
                            : Liveness.human(settings.sweep().stallTimeout().toNanos()),
                    settings.sweep().maxTrialTime() == null ? ""
                            : ", max-trial-time " + Liveness.human(settings.sweep().maxTrialTime().toNanos()));
        }
        if (events.isEmpty()) {
            maybeComplete(state); // a finished sweep run again: nothing to journal, but it must still end
        }
        return persistAndDispatch(state, events);
    }

    private Effect<SupervisorEvent, SweepState> onWorkersListed(SweepState state, WorkersListed msg) {
        for (ActorRef<WorkerProtocol.Command> w : msg.workers()) {
            if (!registry.knows(w) && !registry.isLost(w) && nodes.ready(w.path().address())) {
                track(w, w.path().toString());
                tellWorker(w, new WorkerProtocol.SupervisorAvailable(ctx.getSelf()));
            }
        }
        return Effect().none();
    }

    private Effect<SupervisorEvent, SweepState> onWorkerReady(SweepState state, WorkerReady msg) {
        if (!nodes.ready(msg.worker().path().address())) {
            // its node is not up here yet: it is introduced again (SupervisorAvailable) once it is (onNodeUp)
            log.debug("request of {} held back: its node is not up yet", msg.workerName());
            return Effect().none();
        }
        var slot = track(msg.worker(), msg.workerName());
        slot.name = msg.workerName();
        slot.device = msg.device();
        if (registry.staleRequest(msg.worker(), msg.assignmentsSeen())) {
            return Effect().none(); // it asked before our assignment reached it; it runs that now
        }
        List<SupervisorEvent> events = new ArrayList<>();
        if (slot.trialId != null) {
            // It says it is idle, we believed it ran an attempt: that attempt is gone, and it was not handed back.
            TrialEntry t = state.trial(slot.trialId);
            if (t != null && t.isRunningAttempt(slot.attempt)) {
                liveness.stopped(slot.trialId);
                events.add(failure(state, t, "worker " + slot.name + " reported idle while running attempt "
                        + slot.attempt, 0));
            }
        }
        registry.idle(msg.worker());
        return persistAndDispatch(state, events);
    }

    /** A node came up: its workers may be tracked now; the receptionist lists them and they are introduced. */
    private Effect<SupervisorEvent, SweepState> onNodeUp(SweepState state, NodeUp msg) {
        nodes.up(msg.node());
        ctx.getSystem().receptionist().tell(Receptionist.find(ServiceKeys.WORKER, listings));
        return Effect().none();
    }

    private Effect<SupervisorEvent, SweepState> onNodeRemoved(SweepState state, NodeRemoved msg) {
        nodes.removed(msg.node());
        return Effect().none();
    }

    private Effect<SupervisorEvent, SweepState> onWorkerLost(SweepState state, WorkerLost msg) {
        var slot = registry.lose(msg.worker());
        if (slot == null || slot.trialId == null) {
            if (slot != null) {
                log.info("worker {} left", slot.name);
            }
            return Effect().none();
        }
        TrialEntry t = state.trial(slot.trialId);
        if (t == null || !t.isRunningAttempt(slot.attempt)) {
            return Effect().none();
        }
        liveness.stopped(slot.trialId);
        log.warn("worker {} was lost while running trial {} (attempt {}); re-queued, {}",
                slot.name, slot.trialId, slot.attempt, resumePoint(t));
        return persistAndDispatch(state, List.of(failure(state, t,
                "worker " + slot.name + " was lost (stopped, crashed or downed)", 0)));
    }

    // --- progress and liveness ----------------------------------------------------------------------

    private Effect<SupervisorEvent, SweepState> onProgress(SweepState state, TrialProgress msg) {
        var verdict = Fencing.judge(state, registry, msg.trialId(), msg.attempt(), msg.worker());
        if (verdict == Fencing.Verdict.CURRENT) {
            liveness.progressed(msg.trialId(), msg.attempt(), System.nanoTime());
            var slot = registry.slot(msg.worker());
            slot.lastEpoch = msg.metrics();
            long now = System.nanoTime();
            if (now - slot.progressPersistedNanos < PROGRESS_PERSIST_INTERVAL_NANOS) {
                return Effect().none(); // the console has it; the journal gets it at most every few seconds
            }
            slot.progressPersistedNanos = now;
            return journal(state, List.of(new TrialProgressed(msg.trialId(), msg.metrics())), null);
        }
        if (verdict == Fencing.Verdict.ADOPTABLE) {
            if (!nodes.ready(msg.worker().path().address())) {
                return Effect().none(); // adopted from a later message, once its node is up here
            }
            adopt(msg.worker(), msg.trialId(), msg.attempt());
            registry.slot(msg.worker()).lastEpoch = msg.metrics();
            return journal(state, List.of(
                    new TrialAssigned(msg.trialId(), msg.attempt(), registry.slot(msg.worker()).name,
                            System.currentTimeMillis()),
                    new TrialProgressed(msg.trialId(), msg.metrics())), null);
        }
        return stale(state, msg.trialId(), msg.attempt(), msg.worker(), "progress");
    }

    private Effect<SupervisorEvent, SweepState> onAlive(SweepState state, TrialAlive msg) {
        switch (Fencing.judge(state, registry, msg.trialId(), msg.attempt(), msg.worker())) {
            case CURRENT -> {
                liveness.progressed(msg.trialId(), msg.attempt(), System.nanoTime());
                return Effect().none();
            }
            case ADOPTABLE -> {
                if (!nodes.ready(msg.worker().path().address())) {
                    return Effect().none(); // adopted from a later heartbeat, once its node is up here
                }
                adopt(msg.worker(), msg.trialId(), msg.attempt());
                return journal(state, List.of(new TrialAssigned(msg.trialId(), msg.attempt(),
                        registry.slot(msg.worker()).name, System.currentTimeMillis())), null);
            }
            default -> {
                return stale(state, msg.trialId(), msg.attempt(), msg.worker(), "heartbeat");
            }
        }
    }

    private Effect<SupervisorEvent, SweepState> onCheckLiveness(SweepState state, CheckLiveness msg) {
        List<SupervisorEvent> events = new ArrayList<>();
        for (Liveness.Expiry e : liveness.expired(System.nanoTime())) {
            TrialEntry t = state.trial(e.trialId());
            if (t == null || !t.isRunningAttempt(e.attempt())) {
                continue;
            }
            log.warn("trial {} attempt {} aborted: {}", e.trialId(), e.attempt(), e.reason());
            // The worker keeps its slot busy until it reports idle or dies: it gets no new trial meanwhile.
            registry.runnerOf(e.trialId()).ifPresent(w -> tellWorker(w, new WorkerProtocol.AbortAttempt(e.trialId(),
                    e.attempt(), e.reason(), abortGrace.toMillis())));
            events.add(failure(state, t, "attempt " + e.attempt() + " aborted: " + e.reason(), 0));
        }
        return events.isEmpty() ? Effect().none() : persistAndDispatch(state, events);
    }

    // --- checkpoints --------------------------------------------------------------------------------

    private Effect<SupervisorEvent, SweepState> onCheckpoint(SweepState state, TrialCheckpoint msg) {
        if (!current(state, msg.trialId(), msg.attempt(), msg.worker())) {
            return ignore(msg.trialId(), msg.attempt(), msg.worker(), "checkpoint");
        }
        TrialEntry t = state.trial(msg.trialId());
        liveness.progressed(msg.trialId(), msg.attempt(), System.nanoTime());
        if (msg.epoch() <= t.checkpointEpoch()) {
            return Effect().none();
        }
        ctx.pipeToSelf(store.receiveCheckpoint(msg.trialId(), msg.attempt(), msg.epoch(), msg.file()),
                (rel, err) -> err == null
                        ? new CheckpointStored(msg.trialId(), msg.attempt(), msg.epoch(), rel, msg.file().sha256())
                        : new TransferFailed(msg.trialId(), msg.attempt(), "checkpoint", rootMessage(err)));
        return Effect().none();
    }

    private Effect<SupervisorEvent, SweepState> onCheckpointStored(SweepState state, CheckpointStored msg) {
        TrialEntry t = state.trial(msg.trialId());
        if (t == null || !t.isRunningAttempt(msg.attempt()) || msg.epoch() <= t.checkpointEpoch()) {
            // Stale or superseded: its name is this attempt's own, so deleting it never touches a live file.
            store.deleteQuietly(msg.relativePath());
            return Effect().none();
        }
        String previous = t.checkpointPath();
        return journal(state, List.of(new TrialCheckpointed(msg.trialId(), msg.epoch(), msg.relativePath(),
                msg.sha256())), s -> {
                    if (previous != null && !previous.equals(msg.relativePath())) {
                        store.deleteQuietly(previous); // only the latest checkpoint is needed to resume
                    }
                });
    }

    private Effect<SupervisorEvent, SweepState> onCheckpointRejected(SweepState state, CheckpointRejected msg) {
        if (!current(state, msg.trialId(), msg.attempt(), msg.worker())) {
            return ignore(msg.trialId(), msg.attempt(), msg.worker(), "checkpoint rejection");
        }
        TrialEntry t = state.trial(msg.trialId());
        if (t.checkpointPath() == null || t.checkpointEpoch() != msg.epoch()) {
            return Effect().none(); // a newer checkpoint replaced it meanwhile
        }
        log.warn("trial {}: the checkpoint after epoch {} ({}) is unusable and discarded; attempt {} restarts "
                + "from epoch 1: {}", msg.trialId(), msg.epoch(), t.checkpointPath(), msg.attempt(), msg.reason());
        String path = t.checkpointPath();
        return journal(state, List.of(new TrialCheckpointDiscarded(msg.trialId(), msg.reason())),
                s -> store.deleteQuietly(path));
    }

    // --- results and failures -----------------------------------------------------------------------

    private Effect<SupervisorEvent, SweepState> onSucceeded(SweepState state, TrialSucceeded msg) {
        // an adoptable result is taken too: the attempt finished while the supervisor restarted
        if (Fencing.judge(state, registry, msg.trialId(), msg.attempt(), msg.worker()) == Fencing.Verdict.STALE) {
            return ignore(msg.trialId(), msg.attempt(), msg.worker(), "result");
        }
        attemptEnded(msg.worker(), msg.trialId());
        ctx.pipeToSelf(store.receiveResult(msg.trialId(), msg.attempt(), msg.files()), (ok, err) -> err == null
                ? new ResultStored(msg.trialId(), msg.attempt(), msg.result(), msg.artifactName(), msg.worker())
                : new TransferFailed(msg.trialId(), msg.attempt(), "result", rootMessage(err)));
        return Effect().none();
    }

    private Effect<SupervisorEvent, SweepState> onResultStored(SweepState state, ResultStored msg) {
        TrialEntry t = state.trial(msg.trialId());
        boolean running = t != null && t.isRunningAttempt(msg.attempt());
        boolean adopt = t != null && !running && t.status() == TrialStatus.QUEUED
                && t.attempts() == msg.attempt() && !state.cancelled();
        if (!running && !adopt) {
            store.discardResult(msg.trialId(), msg.attempt());
            return ignore(msg.trialId(), msg.attempt(), msg.worker(), "stored result");
        }
        String artifact;
        try {
            artifact = store.promoteResult(msg.trialId(), msg.attempt(), msg.artifactName());
        } catch (IOException | IllegalArgumentException e) {
            store.discardResult(msg.trialId(), msg.attempt());
            return persistAndDispatch(state, List.of(failure(state, t, "could not store the result: "
                    + e.getMessage(), 0)));
        }
        registry.runnerOf(msg.trialId()).ifPresent(w -> { // a duplicate run elsewhere is now pointless
            tellWorker(w, new WorkerProtocol.CancelTrial(msg.trialId(), "completed elsewhere"));
            registry.release(w, msg.trialId());
        });
        log.info("trial {} completed (attempt {}): top-1 {}%, relative BOPs {}%", msg.trialId(), msg.attempt(),
                String.format("%.2f", msg.result().top1()), String.format("%.3f", msg.result().relativeBops()));
        List<SupervisorEvent> events = new ArrayList<>();
        long now = System.currentTimeMillis();
        if (adopt) {
            events.add(new TrialAssigned(msg.trialId(), msg.attempt(), "(adopted after restart)", now));
        }
        events.add(new TrialCompleted(msg.trialId(), msg.result().summary(), artifact, now));
        return persistAndDispatch(state, events);
    }

    private Effect<SupervisorEvent, SweepState> onTransferFailed(SweepState state, TransferFailed msg) {
        log.warn("transfer of {} for trial {} (attempt {}) failed: {}", msg.what(), msg.trialId(), msg.attempt(),
                msg.error());
        TrialEntry t = state.trial(msg.trialId());
        if (!msg.what().equals("result")) {
            return Effect().none(); // the next checkpoint replaces it
        }
        store.discardResult(msg.trialId(), msg.attempt());
        if (t == null || !t.isRunningAttempt(msg.attempt())) {
            return Effect().none();
        }
        return persistAndDispatch(state, List.of(failure(state, t, "result transfer failed: " + msg.error(), 0)));
    }

    private Effect<SupervisorEvent, SweepState> onAttemptFailed(SweepState state, TrialAttemptFailed msg) {
        if (!current(state, msg.trialId(), msg.attempt(), msg.worker())) {
            return ignore(msg.trialId(), msg.attempt(), msg.worker(), "failure");
        }
        TrialEntry t = state.trial(msg.trialId());
        attemptEnded(msg.worker(), msg.trialId());
        log.warn("trial {} attempt {} failed on {} in epoch {}: {}", msg.trialId(), msg.attempt(),
                registry.slot(msg.worker()).name, msg.epoch(), msg.error());
        return persistAndDispatch(state, List.of(failure(state, t, msg.error(), msg.epoch())));
    }

    private Effect<SupervisorEvent, SweepState> onHandedBack(SweepState state, TrialHandedBack msg) {
        if (!current(state, msg.trialId(), msg.attempt(), msg.worker())) {
            return ignore(msg.trialId(), msg.attempt(), msg.worker(), "hand-back");
        }
        TrialEntry t = state.trial(msg.trialId());
        attemptEnded(msg.worker(), msg.trialId());
        log.info("trial {} attempt {} handed back by {} ({}); {}", msg.trialId(), msg.attempt(),
                registry.slot(msg.worker()).name, msg.reason(), resumePoint(t));
        return persistAndDispatch(state, List.of(RetryPolicy.interruption(t, msg.reason())));
    }

    // --- user commands ------------------------------------------------------------------------------

    private Effect<SupervisorEvent, SweepState> onCancelTrial(SweepState state, CancelTrial msg) {
        if (!ready) {
            return later(msg);
        }
        var decision = SweepControl.cancelTrial(state, msg.trialId());
        if (decision.reply().accepted()) {
            tellRunningWorker(msg.trialId(), "cancelled by user");
        }
        return control(state, decision, msg.replyTo());
    }

    private Effect<SupervisorEvent, SweepState> onCancelSweep(SweepState state, CancelSweep msg) {
        if (!ready) {
            return later(msg);
        }
        var decision = SweepControl.cancelSweep(state, System.currentTimeMillis());
        if (decision.reply().accepted()) {
            for (var slot : List.copyOf(registry.slots())) {
                if (slot.trialId != null) {
                    tellRunningWorker(slot.trialId, "sweep cancelled");
                }
            }
        }
        return control(state, decision, msg.replyTo());
    }

    private Effect<SupervisorEvent, SweepState> onPause(SweepState state, PauseSweep msg) {
        if (!ready) {
            return later(msg);
        }
        return control(state, SweepControl.pause(state, System.currentTimeMillis()), msg.replyTo());
    }

    private Effect<SupervisorEvent, SweepState> onResume(SweepState state, ResumeSweep msg) {
        if (!ready) {
            return later(msg);
        }
        return control(state, SweepControl.resume(state, System.currentTimeMillis()), msg.replyTo());
    }

    private Effect<SupervisorEvent, SweepState> onExtend(SweepState state, ExtendSweep msg) {
        if (!ready) {
            return later(msg);
        }
        return control(state, SweepControl.extend(state, msg.mus(), msg.seeds(), ending.completed(),
                System.currentTimeMillis()), msg.replyTo());
    }

    /**
     * A control command that arrived before {@link Start} queued the sweep's trials (it was stashed during
     * recovery): handled after Start, which is already in the mailbox, so it sees every trial.
     */
    private Effect<SupervisorEvent, SweepState> later(Command msg) {
        ctx.getSelf().tell(msg);
        return Effect().none();
    }

    /** Journals a control decision (and hands out work it allows), then answers; a refusal changes nothing. */
    private Effect<SupervisorEvent, SweepState> control(SweepState state, SweepControl.Decision decision,
                                                        ActorRef<ControlReply> replyTo) {
        ControlReply reply = decision.reply();
        if (!reply.accepted()) {
            log.info("control refused: {}", reply.message());
            if (replyTo != null) {
                replyTo.tell(reply);
            }
            return Effect().none();
        }
        log.info("control: {}", reply.message());
        return persistAndDispatch(state, decision.events(), s -> {
            if (replyTo != null) {
                replyTo.tell(reply);
            }
        });
    }

    private Effect<SupervisorEvent, SweepState> onGetLiveView(SweepState state, GetLiveView msg) {
        if (!ready) {
            return later(msg); // after Start: the view then lists every trial of the sweep
        }
        List<LiveViews.WorkerNow> workers = registry.slots().stream()
                .map(w -> new LiveViews.WorkerNow(w.name, w.device, w.trialId, w.attempt, w.lastEpoch)).toList();
        msg.replyTo().tell(LiveViews.build(settings.sweep().name(), state, workers, feed.latest(EventFeed.CAPACITY), ending.completed(),
                ignored, System.currentTimeMillis()));
        return Effect().none();
    }

    private Effect<SupervisorEvent, SweepState> onGetStatus(SweepState state, GetStatus msg) {
        List<String> names = registry.slots().stream().map(WorkerRegistry.Slot::name).toList();
        msg.replyTo().tell(new SweepStatus(settings.sweep().name(), state.records(), names, state.allTerminal(),
                ignored, batch.writes(), batch.eventsWritten()));
        return Effect().none();
    }

    private Effect<SupervisorEvent, SweepState> onTick(SweepState state, Tick msg) {
        if (ready && !ending.completed()) {
            log.info(STATUS_LINE, ConsoleView.render(state, workerLines(state)));
        }
        return Effect().none();
    }

    /** Publishes the live view's snapshot (the {@code run} command's terminal view subscribes). */
    private Effect<SupervisorEvent, SweepState> onProgressTick(SweepState state, ProgressTick msg) {
        if (ready && !ending.completed()) {
            ctx.getSystem().eventStream()
                    .tell(new EventStream.Publish<>(SweepProgress.of(state, workerLines(state))));
        }
        return Effect().none();
    }

    private List<ConsoleView.WorkerLine> workerLines(SweepState state) {
        return registry.slots().stream()
                .map(w -> new ConsoleView.WorkerLine(w.name, w.device, w.trialId, w.lastEpoch,
                        w.trialId == null ? null : state.trial(w.trialId)))
                .toList();
    }

    // --- scheduling -----------------------------------------------------------------------------

    private Effect<SupervisorEvent, SweepState> persistAndDispatch(SweepState state, List<SupervisorEvent> events) {
        return persistAndDispatch(state, events, null);
    }

    /**
     * Journals {@code events} plus as many assignments as there are idle workers and queued trials, in the
     * same write, and only then sends the assignments and runs {@code after}: an attempt number exists in
     * the journal before any worker can act on it.
     */
    private Effect<SupervisorEvent, SweepState> persistAndDispatch(SweepState state, List<SupervisorEvent> events,
                                                                   Consumer<SweepState> after) {
        SweepState next = state;
        for (SupervisorEvent e : events) {
            next = next.apply(e);
        }
        List<WorkerRegistry.Assignment<ActorRef<WorkerProtocol.Command>>> assignments = plan(next);
        if (events.isEmpty() && assignments.isEmpty()) {
            if (after != null) {
                defer(after);
            }
            return Effect().none();
        }
        List<SupervisorEvent> all = new ArrayList<>(events);
        long now = System.currentTimeMillis();
        for (var a : assignments) {
            TrialEntry t = next.trial(a.trialId());
            if (t.checkpointPath() != null && !store.readable(t.checkpointPath())) {
                log.warn("checkpoint {} of trial {} is missing or unreadable; the trial restarts from epoch 1",
                        t.checkpointPath(), a.trialId());
                all.add(new TrialCheckpointDiscarded(a.trialId(), "missing or unreadable in the artifact store"));
            }
            all.add(new TrialAssigned(a.trialId(), a.attempt(), registry.slot(a.worker()).name, now));
        }
        return journal(state, all, s -> {
            long started = System.nanoTime();
            if (!assignedYet && !assignments.isEmpty()) {
                assignedYet = true; // failover tests measure from a kill to this line
                log.info("first assignment of this supervisor: trial {} attempt {} (at {} ms since the epoch)",
                        assignments.get(0).trialId(), assignments.get(0).attempt(), System.currentTimeMillis());
            }
            for (var a : assignments) {
                liveness.started(a.trialId(), a.attempt(), started);
                send(s, a);
            }
            if (after != null) {
                after.accept(s);
            }
        });
    }

    /**
     * Adds a command's events to the pending journal write and {@code after} to what runs once it is
     * durable. The write happens when the supervisor has handled the commands that were already waiting
     * (a {@link Flush} to itself), or at once when the batch is full.
     */
    private Effect<SupervisorEvent, SweepState> journal(SweepState state, List<SupervisorEvent> events,
                                                       Consumer<SweepState> after) {
        batch.add(state, events, after);
        if (batch.full()) {
            return flush();
        }
        if (batch.claimFlush()) {
            ctx.getSelf().tell(Flush.INSTANCE);
        }
        return Effect().none();
    }

    private Effect<SupervisorEvent, SweepState> flush() {
        if (!batch.pending()) {
            return Effect().none();
        }
        JournalBatch.Write write = batch.take();
        if (write.events().isEmpty()) {
            return Effect().none().thenRun(write::runAfterWrite);
        }
        // Once per write, not per command of the batch: the trials file appends what the events changed,
        // and the sweep may have ended with them (after the commands' assignments and replies went out).
        return Effect().persist(write.events()).thenRun(s -> {
            lastState = s;
            trialsFile.update(s);
            write.runAfterWrite(s);
            maybeComplete(s);
        });
    }

    /** Runs {@code action} after the pending journal write, or now when none is pending. */
    private void defer(Consumer<SweepState> action) {
        if (batch.pending()) {
            batch.add(batch.view(lastState), List.of(), action);
        } else {
            action.accept(lastState);
        }
    }

    /**
     * Messages to workers wait for the pending journal write, so that a worker gets them in the order the
     * supervisor decided them: a cancel never overtakes the assignment it cancels.
     */
    private void tellWorker(ActorRef<WorkerProtocol.Command> worker, WorkerProtocol.Command msg) {
        defer(s -> worker.tell(msg));
    }

    private List<WorkerRegistry.Assignment<ActorRef<WorkerProtocol.Command>>> plan(SweepState s) {
        if (!gateOpen && registry.size() >= settings.minWorkers()) {
            gateOpen = true; // a start gate only: losing workers later must not stop the sweep
        }
        if (!ready || !gateOpen || !s.started() || s.cancelled() || s.paused()) {
            return List.of();
        }
        return registry.plan(s.queue(), id -> s.trial(id).attempts() + 1);
    }

    private void send(SweepState s, WorkerRegistry.Assignment<ActorRef<WorkerProtocol.Command>> a) {
        TrialEntry t = s.trial(a.trialId());
        FileOffer checkpoint = null;
        int epoch = 0;
        if (t.checkpointPath() != null) {
            try {
                checkpoint = store.offerCheckpoint(t);
                epoch = t.checkpointEpoch();
            } catch (IOException e) {
                log.warn("checkpoint {} of trial {} is unreadable ({}); attempt {} starts at epoch 1",
                        t.checkpointPath(), a.trialId(), e.toString(), a.attempt());
            }
        }
        log.debug("trial {} attempt {} -> {}", a.trialId(), a.attempt(), registry.slot(a.worker()).name);
        a.worker().tell(new WorkerProtocol.AssignTrial(a.trialId(), a.attempt(), t.spec(), checkpoint, epoch));
    }

    private void maybeComplete(SweepState s) {
        if (ready && ending.next(s) == SweepEnding.Next.REFINE) {
            ctx.getSelf().tell(new RefineFrontier()); // persisting needs a command handler: the round is made there
        }
    }

    private Effect<SupervisorEvent, SweepState> onRefineFrontier(SweepState state, RefineFrontier msg) {
        List<TrialQueued> round = ending.refinementRound(state, registry.size());
        return round.isEmpty() ? Effect().none() : persistAndDispatch(state, List.copyOf(round));
    }

    // --- helpers --------------------------------------------------------------------------------

    private SupervisorEvent failure(SweepState state, TrialEntry t, String error, int epoch) {
        var failed = RetryPolicy.failure(t, error, epoch, state.maxAttempts());
        if (failed.permanent()) {
            log.error("trial {} failed for good after {} failed attempt(s): {}", t.spec().trialId(),
                    t.failures() + 1, failed.error());
        }
        return failed;
    }

    /** The worker reported the end of its attempt (result, failure, hand-back): it no longer runs it. */
    private void attemptEnded(ActorRef<WorkerProtocol.Command> worker, String trialId) {
        registry.release(worker, trialId);
        liveness.stopped(trialId);
    }

    private boolean current(SweepState state, String trialId, int attempt, ActorRef<WorkerProtocol.Command> worker) {
        return Fencing.judge(state, registry, trialId, attempt, worker) == Fencing.Verdict.CURRENT;
    }

    /** Gives a re-queued attempt back to the worker that kept running it ({@link Fencing.Verdict#ADOPTABLE}). */
    private void adopt(ActorRef<WorkerProtocol.Command> worker, String trialId, int attempt) {
        track(worker, worker.path().toString());
        registry.running(worker, trialId, attempt);
        liveness.started(trialId, attempt, System.nanoTime());
        log.info("trial {} attempt {} adopted back from worker {}", trialId, attempt, registry.slot(worker).name);
    }

    /** Ignores news of an attempt that is not current, and stops it: it wastes its worker's device. */
    private Effect<SupervisorEvent, SweepState> stale(SweepState state, String trialId, int attempt,
                                                      ActorRef<WorkerProtocol.Command> worker, String what) {
        TrialEntry t = state.trial(trialId);
        if (t != null) {
            tellWorker(worker, new WorkerProtocol.CancelTrial(trialId, "attempt " + attempt + " is not current (trial is "
                    + t.status() + ", latest attempt " + t.attempts() + ")"));
        }
        return ignore(trialId, attempt, worker, what);
    }

    private Effect<SupervisorEvent, SweepState> ignore(String trialId, int attempt,
                                                       ActorRef<WorkerProtocol.Command> worker, String what) {
        ignored++;
        var slot = registry.slot(worker);
        log.info("ignored {} of trial {} attempt {} from {}: not the current attempt of that worker ({} ignored "
                + "so far)", what, trialId, attempt, slot == null ? worker.path() : slot.name, ignored);
        return Effect().none();
    }

    private WorkerRegistry.Slot track(ActorRef<WorkerProtocol.Command> worker, String name) {
        if (!registry.knows(worker)) {
            ctx.watchWith(worker, new WorkerLost(worker));
            log.info("worker {} joined", name);
        }
        return registry.track(worker, name);
    }

    private void tellRunningWorker(String trialId, String reason) {
        registry.runnerOf(trialId).ifPresent(w -> {
            tellWorker(w, new WorkerProtocol.CancelTrial(trialId, reason));
            registry.release(w, trialId);
        });
        liveness.stopped(trialId);
    }

    /** Trial ids become directory names; keep them to a portable character set. */
    public static String trialDir(String trialId) {
        return ArtifactStore.trialDir(trialId);
    }

    /** For the log: checkpointEpoch is the last epoch saved (0: none yet), not the one training resumes at. */
    private static String resumePoint(TrialEntry t) {
        return t.checkpointEpoch() > 0
                ? "resumes at epoch " + (t.checkpointEpoch() + 1) + " from its epoch-" + t.checkpointEpoch()
                        + " checkpoint"
                : "starts over at epoch 1 (no checkpoint yet)";
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException
                || t instanceof java.io.UncheckedIOException)) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    // --- messages to itself (never leave this actor) -------------------------------------

    /** Writes the pending journal batch (see {@link JournalBatch}). */
    private enum Flush implements SupervisorProtocol.Internal {
        INSTANCE
    }

    /** Sent at start-up; handled once recovery has replayed the journal. */
    private record Start() implements SupervisorProtocol.Internal {
    }

    /** The receptionist's current set of workers. */
    private record WorkersListed(Set<ActorRef<WorkerProtocol.Command>> workers) implements SupervisorProtocol.Internal {
    }

    /** The grid is done: add refinement trials where the frontier has gaps (sweep {@code refine:}). */
    private record RefineFrontier() implements SupervisorProtocol.Internal {
    }

    /** The cluster saw a node come up (or weakly up). */
    private record NodeUp(Address node) implements SupervisorProtocol.Internal {
    }

    /** The cluster removed a node. */
    private record NodeRemoved(Address node) implements SupervisorProtocol.Internal {
    }

    /** A watched worker stopped, or its node was downed or left. */
    private record WorkerLost(ActorRef<WorkerProtocol.Command> worker) implements SupervisorProtocol.Internal {
    }

    /** A checkpoint arrived intact in the artifact store. */
    private record CheckpointStored(String trialId, int attempt, int epoch, String relativePath, String sha256)
            implements SupervisorProtocol.Internal {
    }

    /** All result files of a finished attempt arrived intact (not yet accepted: see the supervisor). */
    private record ResultStored(String trialId, int attempt, TrialResult result, String artifactName,
                               ActorRef<WorkerProtocol.Command> worker) implements SupervisorProtocol.Internal {
    }

    /** A transfer into the artifact store failed. */
    private record TransferFailed(String trialId, int attempt, String what, String error) implements SupervisorProtocol.Internal {
    }

    /** Periodic console status line. */
    private record Tick() implements SupervisorProtocol.Internal {
    }

    /** Periodic snapshot for the live console view ({@link SweepProgress}). */
    private record ProgressTick() implements SupervisorProtocol.Internal {
    }

    /** Periodic check of running attempts against the stall timeout and {@code max-trial-time}. */
    private record CheckLiveness() implements SupervisorProtocol.Internal {
    }
}
