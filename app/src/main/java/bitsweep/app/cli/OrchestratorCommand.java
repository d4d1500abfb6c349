package bitsweep.app.cli;

import bitsweep.cluster.ClusterConfig.HostPort;
import bitsweep.cluster.ClusterConfig;
import bitsweep.cluster.NodeSecurity;
import bitsweep.cluster.TlsOptions;
import bitsweep.orchestrator.api.ApiBinding;
import bitsweep.orchestrator.journal.JournalStore;
import bitsweep.orchestrator.journal.SweepJournal;
import bitsweep.orchestrator.node.LogFiles;
import bitsweep.orchestrator.node.OrchestratorNode;
import bitsweep.orchestrator.node.SweepRunOptions;
import bitsweep.orchestrator.report.SweepCompletion;
import bitsweep.orchestrator.supervisor.SupervisorSettings;
import bitsweep.protocol.Termination;
import bitsweep.sweep.Sweep;
import bitsweep.sweep.TrialStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code bitsweep orchestrator SWEEP.yaml --bind HOST:PORT}: the supervisor node of a cluster. */
@Command(name = "orchestrator", mixinStandardHelpOptions = true,
        description = "Run a sweep's supervisor (cluster role 'orchestrator'); workers join it with "
                + "'bitsweep worker --join HOST:PORT'. Exits when every trial is done.")
public final class OrchestratorCommand implements Callable<Integer> {

    @Mixin
    SweepRunOptions options;

    @Option(names = "--bind", required = true, paramLabel = "HOST:PORT",
            description = "address other nodes reach this one at (also the first seed node)")
    String bind;

    @Option(names = "--seeds", split = ",", paramLabel = "HOST:PORT",
            description = "seed nodes (default: this node's --bind address)")
    List<String> seeds = new ArrayList<>();

    @Mixin
    TlsOptions tlsOptions;

    @Option(names = "--min-workers", defaultValue = "1",
            description = "assign nothing before this many workers registered (default: ${DEFAULT-VALUE})")
    int minWorkers;

    @Option(names = "--standby", description = "with --journal postgresql://…: if another orchestrator runs this "
            + "sweep, wait and take over when it ends (killed, machine lost) instead of being refused; start one "
            + "per spare machine and give the workers every orchestrator's address in --join")
    boolean standby;

    /** Exit code of an orchestrator the cluster removed (downed): a process supervisor should restart it. */
    public static final int EXIT_REMOVED = 75;

    /**
     * This orchestrator was downed (split brain resolver, operator) before its sweep completed; the command
     * exits with {@link #EXIT_REMOVED} (see {@link CliErrors}).
     */
    public static final class RemovedFromClusterException extends RuntimeException
            implements CommandLine.IExitCodeGenerator {
        RemovedFromClusterException() {
            super("this orchestrator was removed from the cluster (downed by the split brain resolver or an "
                    + "operator) before its sweep completed; exiting with code " + EXIT_REMOVED + " so that its "
                    + "process supervisor restarts it (with --standby it then waits for the active orchestrator)");
        }

        @Override
        public int getExitCode() {
            return EXIT_REMOVED;
        }
    }

    @Override
    public Integer call() throws Exception {
        HostPort self = HostPort.parse(bind);
        List<HostPort> seedList = seeds.isEmpty() ? List.of(self) : seeds.stream().map(HostPort::parse).toList();
        if (standby && !seedList.equals(List.of(self))) {
            // a standby that takes over forms its own cluster: with another orchestrator as its first seed it
            // would wait for a node that is gone
            throw new IllegalArgumentException("--standby: an orchestrator that takes over forms its own cluster; "
                    + "drop --seeds (give the workers every orchestrator's address in --join instead)");
        }
        List<HostPort> addresses = new ArrayList<>(seedList);
        addresses.add(self);
        // decided before anything is read or started: an unprotected network address is refused outright
        NodeSecurity security = tlsOptions.resolve("orchestrator", addresses, System.getenv());
        Sweep sweep = options.sweep();
        Path resultsDir = options.resultsDir(sweep);
        ApiBinding api = options.api();
        SweepCompletion done = run(sweep, resultsDir, options.fresh(), options.journalStore(resultsDir), self,
                seedList, minWorkers, options.statusInterval(), security, standby, api);
        return done.count(TrialStatus.FAILED) == 0 ? 0 : 1;
    }

    /** Starts a plain-TCP orchestrator node (tests on loopback) and blocks until its sweep is complete. */
    public static SweepCompletion run(Sweep sweep, Path resultsDir, boolean fresh, JournalStore store, HostPort bind,
                                      List<HostPort> seeds, int minWorkers, Duration statusEvery) throws Exception {
        return run(sweep, resultsDir, fresh, store, bind, seeds, minWorkers, statusEvery, NodeSecurity.loopbackPlain());
    }

    /** Starts an orchestrator node with the given transport security and blocks until its sweep is complete. */
    public static SweepCompletion run(Sweep sweep, Path resultsDir, boolean fresh, JournalStore store, HostPort bind,
                                      List<HostPort> seeds, int minWorkers, Duration statusEvery,
                                      NodeSecurity security) throws Exception {
        return run(sweep, resultsDir, fresh, store, bind, seeds, minWorkers, statusEvery, security, false, null);
    }

    /** As above, as a standby when {@code standby} (see below). */
    public static SweepCompletion run(Sweep sweep, Path resultsDir, boolean fresh, JournalStore store, HostPort bind,
                                      List<HostPort> seeds, int minWorkers, Duration statusEvery,
                                      NodeSecurity security, boolean standby) throws Exception {
        return run(sweep, resultsDir, fresh, store, bind, seeds, minWorkers, statusEvery, security, standby, null);
    }

    /**
     * {@code standby}: wait for the sweep's PostgreSQL lock (held by the active orchestrator) before joining any
     * cluster. {@code api}: serve the dashboard and API there (off when null). Throws
     * {@link RemovedFromClusterException} when this node is downed before its sweep completed.
     */
    public static SweepCompletion run(Sweep sweep, Path resultsDir, boolean fresh, JournalStore store, HostPort bind,
                                      List<HostPort> seeds, int minWorkers, Duration statusEvery,
                                      NodeSecurity security, boolean standby, ApiBinding api) throws Exception {
        // the journal's locks are held until the actor system (and with it the journal plugin) has stopped
        try (SweepJournal journal = OrchestratorNode.prepareResults(resultsDir, fresh, store, sweep.name(),
                standby)) {
            LogFiles.attach(resultsDir.resolve("logs").resolve("orchestrator.log"));
            security.announce("orchestrator " + bind);
            ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), ClusterConfig.SYSTEM_NAME,
                    security.applyTo(journal.configure(ClusterConfig.node().bind(bind).seeds(seeds)
                            .roles("orchestrator"))).build());
            try {
                SupervisorSettings settings = SupervisorSettings.of(sweep, resultsDir).withMinWorkers(minWorkers)
                        .withStatusInterval(statusEvery).withReplica(journal.artifactReplica());
                var handle = OrchestratorNode.startSupervisor(system, settings);
                OrchestratorNode.startApi(system, handle, settings, api);
                CompletableFuture<SweepCompletion> completion = handle.completion();
                // Downed (the losing side of a partition, an operator's down): the actor system shuts itself
                // down but nothing would complete the sweep's future; end instead of blocking forever. (Also
                // runs at the normal end, when the future is already complete.)
                org.apache.pekko.cluster.Cluster.get(system).registerOnMemberRemoved(() -> {
                    var reason = CoordinatedShutdown.get(system).getShutdownReason();
                    if (reason.isEmpty() || reason.get() != CoordinatedShutdown.jvmExitReason()) {
                        // not SIGTERM / JVM exit: that ends the process with its own status anyway
                        completion.completeExceptionally(new RemovedFromClusterException());
                    }
                });
                try {
                    return completion.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RemovedFromClusterException removed) {
                        throw removed;
                    }
                    throw e;
                }
            } finally {
                system.terminate();
                Termination.await(system.getWhenTerminated(), Termination.DEFAULT_TIMEOUT,
                        "the orchestrator's actor system", "its work is done, exiting anyway");
            }
        }
    }
}
