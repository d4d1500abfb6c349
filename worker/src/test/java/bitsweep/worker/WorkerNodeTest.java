package bitsweep.worker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.cluster.ClusterConfig.HostPort;
import bitsweep.worker.sim.SimulatedTrialRunner;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker node that the cluster downs and whose actor system then never finishes terminating (as happened to a
 * worker downed while cut off, docs/cluster.md). The hang is forced with a termination callback that blocks:
 * Pekko completes {@code getWhenTerminated()} only after every such callback has run. The node is a real
 * one-node cluster on loopback that joins itself and is downed with Pekko's own {@code Down} command.
 */
@Tag("slow") // in `mvn verify`, not the fast `mvn test` loop (docs/testing.md)
class WorkerNodeTest {
    private static final Duration TERMINATION_TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    Path scratch;

    @Test
    void aJvmWithSeveralWorkersLeavesAHungActorSystemBehindAndStartsAFreshOneOnTheSamePort() throws Exception {
        HostPort self = new HostPort("127.0.0.1", freePort());
        WorkerNode node = WorkerNode.start(new WorkerNode.Options(List.of(self), self, List.of("cpu()", "cpu()"),
                runners(), scratch, AssignmentLatency.none(), null, null, TERMINATION_TIMEOUT));
        CountDownLatch release = new CountDownLatch(1);
        try {
            ActorSystem<Void> first = node.system();
            awaitUp(first);
            hangTermination(first, release);
            Cluster.get(first).manager().tell(new Down(first.address()));

            await("a fresh actor system that joins and is up", 60, () -> node.system() != first
                    && Cluster.get(node.system()).selfMember().status() == MemberStatus.up());
            assertFalse(first.getWhenTerminated().toCompletableFuture().isDone(),
                    "the old actor system was still terminating: the bounded wait, not its termination, moved on");
            assertTrue(node.system().address().equals(first.address()), "same host and port");
        } finally {
            release.countDown();
            node.close();
        }
    }

    @Test
    void aDeviceProcessWhoseDownedActorSystemHangsInTerminationHandsOverToItsOnHung() throws Exception {
        CompletableFuture<String> hung = new CompletableFuture<>();
        WorkerNode node = startDeviceProcessNode(hung);
        CountDownLatch release = new CountDownLatch(1);
        try {
            ActorSystem<Void> first = node.system();
            awaitUp(first);
            hangTermination(first, release);
            Cluster.get(first).manager().tell(new Down(first.address()));

            // in a device process onHung halts the JVM with exit code 75 (DeviceProcessMain.haltHungProcess)
            String reason = hung.get(60, TimeUnit.SECONDS);
            assertTrue(reason.contains("did not finish terminating within 3 s"), reason);
            assertTrue(reason.contains(first.address().toString()), reason);
            assertSame(first, node.system(), "a device process starts no second actor system: its node restarts it");
        } finally {
            release.countDown();
            node.close();
        }
    }

    @Test
    void aDownedWorkerNodeWhoseActorSystemTerminatesRejoinsWithoutCallingOnHung() throws Exception {
        CompletableFuture<String> hung = new CompletableFuture<>();
        WorkerNode node = startDeviceProcessNode(hung);
        try {
            ActorSystem<Void> first = node.system();
            awaitUp(first);
            Cluster.get(first).manager().tell(new Down(first.address()));

            await("a fresh actor system that joins and is up", 60, () -> node.system() != first
                    && Cluster.get(node.system()).selfMember().status() == MemberStatus.up());
            assertTrue(first.getWhenTerminated().toCompletableFuture().isDone());
            Thread.sleep(TERMINATION_TIMEOUT.toMillis() + 1000); // the bound has passed: it must not fire late
            assertFalse(hung.isDone(), "onHung ran although the old actor system terminated: " + hung.getNow(""));
        } finally {
            node.close();
        }
    }

    private static TrialRunnerFactory runners() {
        return device -> new SimulatedTrialRunner(SimulatedTrialRunner.Settings.durations(50, 50));
    }

    /** Pekko completes getWhenTerminated() only after every termination callback has run: this one waits. */
    private static void hangTermination(ActorSystem<Void> system, CountDownLatch release) {
        system.classicSystem().registerOnTermination(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** A device process's node (one named worker) whose {@code onHung} completes {@code hung}. */
    private WorkerNode startDeviceProcessNode(CompletableFuture<String> hung) throws Exception {
        HostPort self = new HostPort("127.0.0.1", freePort());
        return WorkerNode.start(new WorkerNode.Options(List.of(self), self, List.of("cpu()"), runners(), scratch,
                AssignmentLatency.none(), "gpu0", hung::complete, TERMINATION_TIMEOUT));
    }

    private static void awaitUp(ActorSystem<Void> system) throws InterruptedException {
        await("the node to join itself", 30, () -> Cluster.get(system).selfMember().status() == MemberStatus.up());
    }

    private static void await(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
