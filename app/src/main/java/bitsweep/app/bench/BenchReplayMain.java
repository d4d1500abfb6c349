package bitsweep.app.bench;

import bitsweep.cluster.ClusterConfig.HostPort;
import bitsweep.cluster.ClusterConfig;
import bitsweep.io.Json;
import bitsweep.orchestrator.journal.JournalStore;
import bitsweep.orchestrator.journal.SweepJournal;
import bitsweep.orchestrator.node.OrchestratorNode;
import bitsweep.orchestrator.report.SweepCompletionHook;
import bitsweep.orchestrator.supervisor.SupervisorSettings;
import bitsweep.worker.AssignmentLatency;
import bitsweep.worker.WorkerNode;
import bitsweep.worker.sim.SimulatedTrialRunner;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The replay half of {@code bench-scheduler}, in a fresh JVM: opens the finished benchmark sweep's results
 * folder and journal, starts a supervisor for the same sweep plus one new trial and one simulated worker,
 * and writes (JSON) how long after this JVM's start the supervisor was started, had recovered its state
 * from the journal (it answers a status request only then) and handed out the new trial.
 *
 * <pre>BenchReplayMain RESULTS_DIR JOURNAL(embedded|postgresql://…) TRIALS OUT_JSON</pre>
 */
public final class BenchReplayMain {
    private BenchReplayMain() {
    }

    public static void main(String[] args) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        Path results = Path.of(args[0]);
        JournalStore store = JournalStore.parse(args[1], results, System.getenv());
        int trials = Integer.parseInt(args[2]);
        SweepJournal journal = OrchestratorNode.prepareResults(results, false, store, BenchSchedulerCommand.SWEEP);
        int port = BenchSchedulerCommand.freePort();
        HostPort self = new HostPort("127.0.0.1", port);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), ClusterConfig.SYSTEM_NAME,
                journal.configure(ClusterConfig.node().bind(self).seeds(List.of(self)).roles("orchestrator")).build());
        CompletableFuture<Long> assigned = new CompletableFuture<>();
        WorkerNode worker = null;
        try {
            SimulatedTrialRunner sim = new SimulatedTrialRunner(SimulatedTrialRunner.Settings.durations(0, 0));
            worker = WorkerNode.start(new WorkerNode.Options(List.of(self), new HostPort("127.0.0.1", 0),
                    List.of("cpu()"), device -> (request, listener, cancel) -> {
                        assigned.complete(System.currentTimeMillis());
                        return sim.run(request, listener, cancel);
                    }, results.getParent().resolve("replay-scratch"), new AssignmentLatency(16)));
            // the finished sweep plus one trial: recovery finds every other trial done and queues this one
            SupervisorSettings settings = SupervisorSettings.of(BenchSchedulerCommand.sweep(trials + 1), results)
                    .withHook(SweepCompletionHook.LOG);
            long started = System.currentTimeMillis();
            var handle = OrchestratorNode.startSupervisor(system, settings);
            handle.status(system, Duration.ofMinutes(5));
            long answered = System.currentTimeMillis();
            long next = assigned.get(5, TimeUnit.MINUTES);
            // Both are upper bounds of the moment recovery ended: the status answer and the first assignment
            // (the supervisor hands out nothing before it). The answer can arrive after the assignment.
            long recovered = Math.min(answered, next);
            handle.completion().get(5, TimeUnit.MINUTES);
            System.gc();
            double heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
            Json.MAPPER.writeValue(Path.of(args[3]).toFile(), new BenchSchedulerCommand.Replay(
                    (recovered - jvmStart) / 1000.0, (next - jvmStart) / 1000.0, (started - jvmStart) / 1000.0, heap));
        } finally {
            if (worker != null) {
                worker.close();
            }
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
            journal.close();
        }
        System.exit(0);
    }
}
