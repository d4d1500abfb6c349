package bitsweep.app.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.cluster.ClusterConfig.HostPort;
import bitsweep.cluster.ClusterConfig;
import bitsweep.orchestrator.node.OrchestratorNode;
import bitsweep.orchestrator.report.SweepCompletion;
import bitsweep.orchestrator.report.SweepCompletionHook;
import bitsweep.orchestrator.supervisor.Supervisor;
import bitsweep.orchestrator.supervisor.SupervisorSettings;
import bitsweep.protocol.SupervisorProtocol;
import bitsweep.protocol.WorkerProtocol;
import bitsweep.sweep.Sweep;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialSpec;
import bitsweep.sweep.TrialStatus;
import bitsweep.trial.TrialConfig;
import bitsweep.trial.TrialResult;
import bitsweep.worker.AssignmentLatency;
import bitsweep.worker.DeviceWorker;
import bitsweep.worker.WorkerNode;
import bitsweep.worker.sim.SimulatedTrialRunner;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor with real device workers (simulated trainers) through the failures a long sweep
 * meets: a supervisor that restarts in place, a trainer stuck in a "native call", a result whose
 * history is larger than a cluster message may be.
 */
@Tag("slow") // in `mvn verify`, not the fast `mvn test` loop (docs/testing.md)
class FaultToleranceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    private ActorTestKit kit;
    private final CompletableFuture<SweepCompletion> completed = new CompletableFuture<>();

    @AfterEach
    void shutdown() {
        if (kit != null) {
            kit.shutdownTestKit();
        }
    }

    private ActorTestKit kit() {
        if (kit == null) {
            kit = ActorTestKit.create("faults", ClusterConfig.node().journalUnder(tmp.resolve("results"))
                    .set("pekko.actor.provider", "local")
                    .set("bitsweep.worker.heartbeat-interval", "200ms")
                    .set("bitsweep.supervisor.abort-grace", "300ms").build());
        }
        return kit;
    }

    private static Sweep sweep(String name, int trials, int epochs, int checkpointEvery) throws Exception {
        TrialConfig c = JSON.readValue("{\"experiment\":\"mnist\",\"epochs\":" + epochs + ",\"checkpoint-every\":"
                + checkpointEvery + "}", TrialConfig.class);
        List<TrialSpec> specs = new ArrayList<>();
        for (int i = 0; i < trials; i++) {
            specs.add(new TrialSpec("t" + i, name, "pruning", Map.of("i", i), c));
        }
        return new Sweep(name, Path.of(name + ".yaml"), "mnist", specs, 3, 0);
    }

    private ActorRef<SupervisorProtocol.Command> supervisor(Sweep sweep) {
        return kit().spawn(Supervisor.supervised(SupervisorSettings.of(sweep, tmp.resolve("results"))
                .withHook(completed::complete).withStatusInterval(Duration.ofSeconds(60))), "supervisor");
    }

    private ActorRef<WorkerProtocol.Command> worker(String name, SimulatedTrialRunner.Settings s) {
        return kit().spawn(DeviceWorker.create(name, "cpu()", new SimulatedTrialRunner(s), tmp.resolve(name),
                AssignmentLatency.none()), name);
    }

    private TrialRecord awaitTrial(ActorRef<SupervisorProtocol.Command> sup, String id, TrialStatus status)
            throws InterruptedException {
        var probe = kit().createTestProbe(SupervisorProtocol.SweepStatus.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            sup.tell(new SupervisorProtocol.GetStatus(probe.ref()));
            var s = probe.receiveMessage(Duration.ofSeconds(5));
            var t = s.trials().stream().filter(r -> r.spec().trialId().equals(id)).findFirst();
            if (t.isPresent() && t.get().status().equals(status)) {
                return t.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("trial " + id + " never became " + status);
    }

    @Test
    void aSupervisorRestartedInPlaceStillFeedsTheWorkersThatWereWaiting() throws Exception {
        var sup = supervisor(sweep("restart", 2, 1, 1));
        // a worker that takes t0 and then never says anything again (it will be lost with the restart)
        var silent = kit().createTestProbe(WorkerProtocol.Command.class);
        sup.tell(new SupervisorProtocol.WorkerReady(silent.ref(), "silent", "cpu()", 0));
        assertEquals("t0", silent.expectMessageClass(WorkerProtocol.AssignTrial.class).trialId());
        worker("waiting", SimulatedTrialRunner.Settings.durations(100, 100)); // runs t1, then waits for work
        awaitTrial(sup, "t1", TrialStatus.COMPLETED);
        Thread.sleep(300); // its next request is parked now

        // a bug in a handler: same ActorRef, fresh behavior rebuilt from the journal
        sup.tell(new SupervisorProtocol.GetStatus(null));

        SweepCompletion done = completed.get(20, TimeUnit.SECONDS);
        TrialRecord t0 = done.trials().stream().filter(r -> r.spec().trialId().equals("t0")).findFirst().orElseThrow();
        assertEquals(TrialStatus.COMPLETED, t0.status(), "the waiting worker got the re-queued trial");
        assertEquals(2, t0.attempts());
    }

    @Test
    void aTrainerStuckInANativeCallIsAbortedAndItsTrialFinishesOnAnotherWorker() throws Exception {
        Sweep sweep = sweep("stuck", 2, 2, 1).withLimits(Duration.ofSeconds(2), null);
        var sup = supervisor(sweep);
        worker("stuck-worker", SimulatedTrialRunner.Settings.durations(200, 200).stuck(Set.of("t0")));
        awaitTrial(sup, "t0", TrialStatus.RUNNING);
        worker("healthy-worker", SimulatedTrialRunner.Settings.durations(200, 200));
        long start = System.nanoTime();
        SweepCompletion done = completed.get(20, TimeUnit.SECONDS);
        assertEquals(2, done.count(TrialStatus.COMPLETED));
        TrialRecord t0 = done.trials().get(0);
        assertEquals(2, t0.attempts(), "aborted once, then finished elsewhere");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
    }

    /** Two actor systems on loopback: the result crosses a real Artery connection. */
    @Test
    void aResultWithAThreeHundredEpochHistoryCompletesOnTheFirstAttempt() throws Exception {
        Path results = tmp.resolve("results-long");
        Sweep sweep = sweep("long", 1, 300, 100);
        ActorSystem<Void> orchestrator = ActorSystem.create(org.apache.pekko.actor.typed.javadsl.Behaviors.empty(),
                ClusterConfig.SYSTEM_NAME, ClusterConfig.node().bind(new HostPort("127.0.0.1", 0)).seeds(List.of())
                        .roles("orchestrator").journalUnder(results).build());
        WorkerNode worker = null;
        try {
            OrchestratorNode.joinSelfIfNoSeeds(orchestrator);
            var handle = OrchestratorNode.startSupervisor(orchestrator, SupervisorSettings.of(sweep, results)
                    .withHook(SweepCompletionHook.LOG).withStatusInterval(Duration.ofSeconds(60)));
            int port = Cluster.get(orchestrator).selfMember().address().getPort().get();
            // 300 epochs, each with a 60-layer bit table (a ResNet-18's is ~20): several MB of history
            var sim = SimulatedTrialRunner.Settings.durations(600, 600).withLayersPerEpoch(60);
            worker = WorkerNode.start(new WorkerNode.Options(List.of(new HostPort("127.0.0.1", port)),
                    new HostPort("127.0.0.1", 0), List.of("cpu()"), d -> new SimulatedTrialRunner(sim),
                    tmp.resolve("scratch"), AssignmentLatency.none()));
            SweepCompletion done = handle.completion().get(60, TimeUnit.SECONDS);
            TrialRecord t0 = done.trials().get(0);
            assertEquals(TrialStatus.COMPLETED, t0.status());
            assertEquals(1, t0.attempts());
            Path resultJson = results.resolve("trials/t0/result.json");
            assertEquals(300, JSON.readValue(resultJson.toFile(), TrialResult.class).history().size());
            long frame = orchestrator.settings().config().getBytes("pekko.remote.artery.advanced.maximum-frame-size");
            assertTrue(Files.size(resultJson) > frame, "the history alone (" + Files.size(resultJson)
                    + " bytes) is larger than a frame (" + frame + "): it could not have travelled in the message");
        } finally {
            if (worker != null) {
                worker.close();
            }
            orchestrator.terminate();
            orchestrator.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
