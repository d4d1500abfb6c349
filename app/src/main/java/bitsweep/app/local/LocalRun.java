package bitsweep.app.local;

import bitsweep.cluster.ClusterConfig.HostPort;
import bitsweep.cluster.ClusterConfig;
import bitsweep.cluster.NodeSecurity;
import bitsweep.orchestrator.api.ApiBinding;
import bitsweep.orchestrator.console.LiveConsole;
import bitsweep.orchestrator.journal.JournalStore;
import bitsweep.orchestrator.journal.SweepJournal;
import bitsweep.orchestrator.node.LogFiles;
import bitsweep.orchestrator.node.OrchestratorNode;
import bitsweep.orchestrator.report.SweepCompletion;
import bitsweep.orchestrator.report.SweepCompletionHook;
import bitsweep.orchestrator.supervisor.SupervisorSettings;
import bitsweep.protocol.Termination;
import bitsweep.sweep.Sweep;
import bitsweep.worker.AssignmentLatency;
import bitsweep.worker.TrialRunnerFactory;
import bitsweep.worker.WorkerNode;
import bitsweep.worker.process.ChildJvm;
import bitsweep.worker.process.DeviceProcessSupervisor;
import bitsweep.worker.process.DeviceProcesses;
import bitsweep.worker.process.DeviceSlot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Local mode: a one-node-machine cluster with the same journal, recovery and artifact paths as a real
 * cluster. Two ways to run it, chosen explicitly by the caller:
 *
 * <ul>
 *   <li>{@link #runWithDeviceProcesses} — what {@code bitsweep run} does, always: the supervisor in this
 *       JVM (role {@code orchestrator}, bound to 127.0.0.1 on a free port, its own seed) and one device
 *       process per device slot joining it over loopback, supervised by {@link DeviceProcessSupervisor}.
 *       Required for the real trainer: DJL's PyTorch engine allows one gradient collector per process, so
 *       two DJL workers in one JVM fail each other's trials (issue 8).</li>
 *   <li>{@link #run} — both roles and every worker in this one JVM. Only for runners that can share a
 *       JVM: the simulated trainer (actor tests, {@code LocalRunTest}) or a single real DJL worker
 *       ({@code MnistSweepEndToEndTest}); never with two or more DJL workers.</li>
 * </ul>
 */
public final class LocalRun {
    private LocalRun() {
    }

    /** In-process local mode (see the class comment: simulated runners or one DJL device only); embedded journal. */
    public static SweepCompletion run(Sweep sweep, Path resultsDir, boolean fresh, List<String> devices,
                                      TrialRunnerFactory runners, Duration statusEvery, SweepCompletionHook hook)
            throws Exception {
        try (SweepJournal journal = OrchestratorNode.prepareResults(resultsDir, fresh,
                new JournalStore.Embedded(resultsDir), sweep.name())) {
            LogFiles.attach(resultsDir.resolve("logs").resolve("run.log"));
            ActorSystem<Void> system = ActorSystem.create(
                    WorkerNode.workers(devices, runners, resultsDir.resolve("scratch"), AssignmentLatency.none()),
                    ClusterConfig.SYSTEM_NAME,
                    journal.configure(ClusterConfig.node().bind(new HostPort("127.0.0.1", 0)).seeds(List.of())
                            .roles("orchestrator", "worker")).build());
            try {
                OrchestratorNode.joinSelfIfNoSeeds(system);
                SupervisorSettings settings = SupervisorSettings.of(sweep, resultsDir).withStatusInterval(statusEvery)
                        .withHook(hook).withReplica(journal.artifactReplica());
                return OrchestratorNode.startSupervisor(system, settings).completion().get();
            } finally {
                system.terminate();
                Termination.await(system.getWhenTerminated(), Termination.DEFAULT_TIMEOUT, "the local actor system",
                        "the sweep's results are written; exiting");
            }
        }
    }

    /**
     * Process-per-device local mode ({@code bitsweep run}). Logs: {@code results/<sweep>/logs/run.log}
     * (this JVM) and {@code logs/worker-<i>.log} (device process i, appended across restarts); scratch:
     * {@code results/<sweep>/scratch/worker-<i>/}.
     *
     * @param slots      the device slots, one process each
     * @param simulate   {@code MIN-MAX} for the simulated trainer in the children, or null for the real one
     * @param workerHeap each child's max heap, or null for the default
     * @param started    called once the children were started (tests reach the supervisor through it)
     */
    public static SweepCompletion runWithDeviceProcesses(Sweep sweep, Path resultsDir, boolean fresh,
                                                         List<DeviceSlot> slots, String simulate, String workerHeap,
                                                         Duration statusEvery, SweepCompletionHook hook,
                                                         Consumer<DeviceProcessSupervisor> started,
                                                         NodeSecurity security) throws Exception {
        return runWithDeviceProcesses(sweep, resultsDir, fresh, new JournalStore.Embedded(resultsDir), slots, simulate,
                workerHeap, statusEvery, hook, started, security);
    }

    /**
     * As above, with the given journal store (embedded in the results folder, or PostgreSQL). With TLS
     * when {@code security} carries TLS material, this node and every device process speak mutually
     * authenticated TLS over loopback (the node certificate must name 127.0.0.1).
     */
    public static SweepCompletion runWithDeviceProcesses(Sweep sweep, Path resultsDir, boolean fresh,
                                                         JournalStore store, List<DeviceSlot> slots, String simulate,
                                                         String workerHeap, Duration statusEvery,
                                                         SweepCompletionHook hook,
                                                         Consumer<DeviceProcessSupervisor> started,
                                                         NodeSecurity security) throws Exception {
        return runWithDeviceProcesses(sweep, resultsDir, fresh, store, slots, simulate, workerHeap, statusEvery, hook,
                started, security, null);
    }

    /** As above, also serving the dashboard and API at {@code api} (off when null). */
    public static SweepCompletion runWithDeviceProcesses(Sweep sweep, Path resultsDir, boolean fresh,
                                                         JournalStore store, List<DeviceSlot> slots, String simulate,
                                                         String workerHeap, Duration statusEvery,
                                                         SweepCompletionHook hook,
                                                         Consumer<DeviceProcessSupervisor> started,
                                                         NodeSecurity security, ApiBinding api) throws Exception {
        // the journal's locks are held until the actor system (and with it the journal plugin) has stopped
        try (SweepJournal journal = OrchestratorNode.prepareResults(resultsDir, fresh, store, sweep.name())) {
            return runWithDeviceProcesses(sweep, resultsDir, journal, slots, simulate, workerHeap, statusEvery, hook,
                    started, security, api);
        }
    }

    private static SweepCompletion runWithDeviceProcesses(Sweep sweep, Path resultsDir, SweepJournal journal,
                                                          List<DeviceSlot> slots, String simulate, String workerHeap,
                                                          Duration statusEvery, SweepCompletionHook hook,
                                                          Consumer<DeviceProcessSupervisor> started,
                                                          NodeSecurity security, ApiBinding api) throws Exception {
        LogFiles.attach(resultsDir.resolve("logs").resolve("run.log"));
        security.announce("local run");
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), ClusterConfig.SYSTEM_NAME,
                security.applyTo(journal.configure(ClusterConfig.node().bind(new HostPort("127.0.0.1", 0))
                        .seeds(List.of()).roles("orchestrator"))).build());
        DeviceProcessSupervisor children = null;
        try {
            OrchestratorNode.joinSelfIfNoSeeds(system);
            int port = Cluster.get(system).selfMember().address().getPort()
                    .orElseThrow(() -> new IllegalStateException("the local node has no port"));
            SupervisorSettings settings = SupervisorSettings.of(sweep, resultsDir).withStatusInterval(statusEvery)
                    .withHook(hook).withReplica(journal.artifactReplica());
            var handle = OrchestratorNode.startSupervisor(system, settings);
            OrchestratorNode.startApi(system, handle, settings, api);
            DeviceProcesses processes = new DeviceProcesses(List.of(new HostPort("127.0.0.1", port)),
                    new HostPort("127.0.0.1", 0), resultsDir.resolve("scratch"), resultsDir.resolve("logs"), simulate,
                    workerHeap, ProcessHandle.current().pid()).withTls(security.tls());
            children = DeviceProcessSupervisor.start(processes.children(slots, ChildJvm.current()))
                    .installShutdownHook();
            started.accept(children);
            try (AutoCloseable view = LiveConsole.attachIfTerminal(system)) { // plain log lines unless a terminal
                return handle.completion().get();
            }
        } finally {
            if (children != null) {
                children.close(); // SIGTERM: the device processes leave the cluster before the supervisor stops
            }
            system.terminate();
            Termination.await(system.getWhenTerminated(), Termination.DEFAULT_TIMEOUT, "the run's actor system",
                    "the sweep's results are written; exiting");
        }
    }
}
