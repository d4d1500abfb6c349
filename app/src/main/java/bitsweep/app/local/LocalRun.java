package bitsweep.app.local;

import bitsweep.orchestrator.node.LogFiles;
import bitsweep.orchestrator.node.OrchestratorNode;
import bitsweep.orchestrator.supervisor.SupervisorSettings;
import bitsweep.orchestrator.supervisor.SweepCompletion;
import bitsweep.orchestrator.supervisor.SweepCompletionHook;
import bitsweep.protocol.ClusterConfig;
import bitsweep.protocol.ClusterConfig.HostPort;
import bitsweep.sweep.Sweep;
import bitsweep.worker.AssignmentLatency;
import bitsweep.worker.TrialRunnerFactory;
import bitsweep.worker.WorkerNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Local mode: one JVM holding both roles — the supervisor and one worker per local device — in a
 * one-node cluster, so the same journal, recovery and artifact paths are used as on a real cluster.
 */
public final class LocalRun {
    private LocalRun() {
    }

    public static SweepCompletion run(Sweep sweep, Path resultsDir, boolean fresh, List<String> devices,
                                      TrialRunnerFactory runners, Duration statusEvery, SweepCompletionHook hook)
            throws Exception {
        OrchestratorNode.prepareResults(resultsDir, fresh);
        LogFiles.attach(resultsDir.resolve("logs").resolve("run.log"));
        ActorSystem<Void> system = ActorSystem.create(
                WorkerNode.workers(devices, runners, resultsDir.resolve("scratch"), AssignmentLatency.none()),
                ClusterConfig.SYSTEM_NAME,
                ClusterConfig.node().bind(new HostPort("127.0.0.1", 0)).seeds(List.of())
                        .roles("orchestrator", "worker").journalUnder(resultsDir).build());
        try {
            OrchestratorNode.joinSelfIfNoSeeds(system);
            SupervisorSettings settings = SupervisorSettings.of(sweep, resultsDir).withStatusInterval(statusEvery)
                    .withHook(hook);
            return OrchestratorNode.startSupervisor(system, settings).completion().get();
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get();
        }
    }
}
