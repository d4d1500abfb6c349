package bitsweep.orchestrator.node;

import bitsweep.orchestrator.api.ApiBinding;
import bitsweep.orchestrator.api.ApiServer;
import bitsweep.orchestrator.journal.JournalStore;
import bitsweep.orchestrator.journal.SweepJournal;
import bitsweep.orchestrator.report.SweepCompletion;
import bitsweep.orchestrator.supervisor.Supervisor;
import bitsweep.orchestrator.supervisor.SupervisorSettings;
import bitsweep.protocol.SupervisorProtocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the sweep supervisor as the cluster singleton of role {@code orchestrator} on a node. */
public final class OrchestratorNode {
    private static final Logger log = LoggerFactory.getLogger(OrchestratorNode.class);

    private OrchestratorNode() {
    }

    /** The singleton's proxy (messages reach the supervisor wherever it runs) and the sweep's end. */
    public record Handle(ActorRef<SupervisorProtocol.Command> supervisor, CompletableFuture<SweepCompletion> completion) {

        /** Asks the supervisor for its status and waits for the answer (blocking: not for actor threads). */
        public SupervisorProtocol.SweepStatus status(ActorSystem<?> system, Duration timeout) throws Exception {
            return AskPattern.<SupervisorProtocol.Command, SupervisorProtocol.SweepStatus>ask(supervisor,
                    SupervisorProtocol.GetStatus::new, timeout, system.scheduler())
                    .toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Initializes the singleton (on every orchestrator-role node; it runs on the oldest) and returns a
     * future completed when the sweep has finished and the hook has run.
     */
    public static Handle startSupervisor(ActorSystem<?> system, SupervisorSettings settings) {
        CompletableFuture<SweepCompletion> done = new CompletableFuture<>();
        SupervisorSettings wired = settings.withHook(c -> {
            try {
                settings.hook().onSweepComplete(c);
            } finally {
                done.complete(c);
            }
        });
        ActorRef<SupervisorProtocol.Command> proxy = ClusterSingleton.get(system)
                .init(SingletonActor.of(Supervisor.supervised(wired), "sweep-supervisor"));
        return new Handle(proxy, done);
    }

    /**
     * Serves the dashboard, API and metrics of this node's sweep at {@code api} (nothing when null); the
     * server asks the supervisor through {@code handle}'s singleton proxy, wherever the singleton runs.
     */
    public static void startApi(ActorSystem<?> system, Handle handle, SupervisorSettings settings, ApiBinding api) {
        if (api != null) {
            ApiServer.start(system, handle.supervisor(), settings.sweep().name(), settings.resultsDir(), api);
        }
    }

    /** Forms a one-node cluster when no seed nodes are configured (local mode, single orchestrator). */
    public static void joinSelfIfNoSeeds(ActorSystem<?> system) {
        if (system.settings().config().getStringList("pekko.cluster.seed-nodes").isEmpty()) {
            Cluster cluster = Cluster.get(system);
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
        }
    }

    /**
     * Opens a sweep's results folder and journal for this process: takes the folder's lock (and the sweep's
     * lock on PostgreSQL) for as long as the returned journal is open, then {@code fresh} deletes an earlier
     * run (only if the folder looks like one: it holds a journal or trials.jsonl); otherwise an existing
     * folder is resumed. Throws {@link bitsweep.orchestrator.journal.SweepLockedException} when another
     * orchestrator holds it.
     */
    public static SweepJournal prepareResults(Path resultsDir, boolean fresh, JournalStore store, String sweepName)
            throws IOException {
        return prepareResults(resultsDir, fresh, store, sweepName, false);
    }

    /** {@code standby}: wait for the sweep's PostgreSQL lock instead of being refused (see SweepJournal). */
    public static SweepJournal prepareResults(Path resultsDir, boolean fresh, JournalStore store, String sweepName,
                                              boolean standby) throws IOException {
        boolean resuming = !fresh && Files.exists(resultsDir.resolve("journal"));
        SweepJournal journal = SweepJournal.open(store, Supervisor.persistenceId(sweepName).id(), resultsDir, fresh,
                standby);
        if (resuming) {
            log.info("resuming the sweep in {} from its journal (use --fresh to start over)", resultsDir);
        }
        return journal;
    }
}
