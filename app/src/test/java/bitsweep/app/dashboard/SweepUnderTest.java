package bitsweep.app.dashboard;

import bitsweep.cluster.ClusterConfig.HostPort;
import bitsweep.cluster.ClusterConfig;
import bitsweep.orchestrator.api.ApiBinding;
import bitsweep.orchestrator.api.ApiServer;
import bitsweep.orchestrator.journal.JournalStore;
import bitsweep.orchestrator.journal.SweepJournal;
import bitsweep.orchestrator.node.OrchestratorNode;
import bitsweep.orchestrator.report.SweepCompletion;
import bitsweep.orchestrator.report.SweepCompletionHook;
import bitsweep.orchestrator.supervisor.SupervisorSettings;
import bitsweep.sweep.Sweep;
import bitsweep.worker.AssignmentLatency;
import bitsweep.worker.WorkerNode;
import bitsweep.worker.sim.SimulatedTrialRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * A whole local sweep in this JVM for the dashboard tests: the supervisor, device workers with the
 * simulated trainer and the HTTP server, on the real journal of a results folder (so it can be stopped
 * and started again on the same folder, as an orchestrator restart).
 */
final class SweepUnderTest implements AutoCloseable {
    private final SweepJournal journal;
    private final ActorSystem<Void> system;
    final OrchestratorNode.Handle handle;
    final String baseUrl;

    private SweepUnderTest(SweepJournal journal, ActorSystem<Void> system, OrchestratorNode.Handle handle,
                           String baseUrl) {
        this.journal = journal;
        this.system = system;
        this.handle = handle;
        this.baseUrl = baseUrl;
    }

    /**
     * @param bindHost where the API listens (port chosen freely)
     * @param token    the API's bearer token, or null
     */
    static SweepUnderTest start(Sweep sweep, Path results, boolean fresh, int workers,
                                SimulatedTrialRunner.Settings sim, String bindHost, String token) throws Exception {
        SweepJournal journal = OrchestratorNode.prepareResults(results, fresh, new JournalStore.Embedded(results),
                sweep.name());
        ActorSystem<Void> system = null;
        try {
            system = ActorSystem.create(WorkerNode.workers(Collections.nCopies(workers, "cpu()"),
                            d -> new SimulatedTrialRunner(sim), results.resolve("scratch"), AssignmentLatency.none()),
                    ClusterConfig.SYSTEM_NAME, journal.configure(ClusterConfig.node()
                            .bind(new HostPort("127.0.0.1", 0)).seeds(List.of()).roles("orchestrator", "worker")
                            .set("bitsweep.worker.heartbeat-interval", "200ms")).build());
            OrchestratorNode.joinSelfIfNoSeeds(system);
            SupervisorSettings settings = SupervisorSettings.of(sweep, results).withHook(SweepCompletionHook.LOG)
                    .withStatusInterval(Duration.ofSeconds(60));
            var handle = OrchestratorNode.startSupervisor(system, settings);
            var binding = ApiServer.start(system, handle.supervisor(), sweep.name(), results,
                    new ApiBinding(bindHost, 0, token));
            String host = bindHost.equals("0.0.0.0") ? "127.0.0.1" : bindHost;
            return new SweepUnderTest(journal, system, handle, "http://" + host + ":" + binding.localAddress().getPort());
        } catch (Exception | Error e) {
            if (system != null) {
                system.terminate();
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            journal.close();
            throw e;
        }
    }

    CompletableFuture<SweepCompletion> completion() {
        return handle.completion();
    }

    @Override
    public void close() throws Exception {
        try {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            journal.close();
        }
    }
}
