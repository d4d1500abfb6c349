package bitsweep.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.app.Main;
import bitsweep.app.cli.OrchestratorCommand;
import bitsweep.cluster.ClusterConfig.HostPort;
import bitsweep.cluster.ClusterConfig;
import bitsweep.orchestrator.supervisor.TrialsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The losing side of a partition: an orchestrator that the cluster downs before its sweep has ended does not
 * block forever in its wait for the sweep (the actor system stops, nothing completes the sweep) but ends with
 * exit code 75, so that systemd, Kubernetes or SLURM restarts it. A real {@code bitsweep orchestrator} process;
 * this test's JVM joins its cluster and downs it, as the split brain resolver of the other side would.
 */
@Tag("slow") // in `mvn verify`, not the fast `mvn test` loop (docs/testing.md)
class DownedOrchestratorTest {
    @TempDir
    Path tmp;

    /** A real {@code bitsweep orchestrator} with a sweep of two trials and no worker: it waits, holding its sweep. */
    private ChildJvm startOrchestrator(int port, Path results) throws Exception {
        String name = "downed-" + Long.toHexString(System.nanoTime());
        Path sweep = SmallSweepFile.write(tmp, name, 0.1, 0.2);
        ChildJvm orch = ChildJvm.start(tmp.resolve("orchestrator.log"), Map.of(), Main.class.getName(),
                ChildJvm.FAST_CLUSTER, "orchestrator", sweep.toString(), "--bind", "127.0.0.1:" + port, "--results",
                results.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(results.resolve(TrialsFile.NAME))) { // started, waiting for a worker
            assertTrue(orch.process.isAlive(), Files.readString(orch.log));
            assertTrue(System.nanoTime() < deadline, "the orchestrator did not start its sweep");
            Thread.sleep(100);
        }
        return orch;
    }

    @Test
    void anOrchestratorStoppedWithSigtermEndsWithTheSignalsStatusNotAsRemoved() throws Exception {
        try (ChildJvm orch = startOrchestrator(ChildJvm.freePort(), tmp.resolve("results"))) {
            orch.process.destroy(); // SIGTERM: its cluster member leaves and is removed too
            assertTrue(orch.process.waitFor(60, TimeUnit.SECONDS), Files.readString(orch.log));
            String log = Files.readString(orch.log);
            assertEquals(143, orch.process.exitValue(), log);
            assertFalse(log.contains("was removed from the cluster"), log);
        }
    }

    @Test
    void anOrchestratorDownedBeforeItsSweepEndedExitsWithCode75() throws Exception {
        int port = ChildJvm.freePort();
        try (ChildJvm orch = startOrchestrator(port, tmp.resolve("results"))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            ActorSystem<Void> other = ActorSystem.create(Behaviors.empty(), ClusterConfig.SYSTEM_NAME,
                    ClusterConfig.node().bind(new HostPort("127.0.0.1", 0))
                            .seeds(List.of(new HostPort("127.0.0.1", port))).roles("worker").build());
            try {
                Cluster cluster = Cluster.get(other);
                while (cluster.selfMember().status() != MemberStatus.up()) {
                    assertTrue(System.nanoTime() < deadline, "could not join the orchestrator's cluster");
                    Thread.sleep(100);
                }
                Address orchestrator = null;
                for (Member m : cluster.state().getMembers()) {
                    if (m.hasRole("orchestrator")) {
                        orchestrator = m.address();
                    }
                }
                assertTrue(orchestrator != null, "the orchestrator is a member: " + cluster.state().getMembers());
                cluster.manager().tell(new Down(orchestrator));
                assertTrue(orch.process.waitFor(60, TimeUnit.SECONDS), "the downed orchestrator kept running: "
                        + Files.readString(orch.log));
                String log = Files.readString(orch.log);
                assertEquals(OrchestratorCommand.EXIT_REMOVED, orch.process.exitValue(), log);
                assertTrue(log.contains("was removed from the cluster"), log);
            } finally {
                other.terminate();
                other.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
    }
}
