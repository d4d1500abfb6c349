package bitsweep.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.app.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code bitsweep worker} node (its own JVM, as started from a shell) and its device processes: they
 * go down with the node, by SIGTERM forwarding or, when the node is SIGKILLed, by watching its pid.
 */
@Tag("slow") // in `mvn verify`, not the fast `mvn test` loop (docs/testing.md)
class NodeSignalsTest {
    @TempDir
    Path tmp;

    /** Starts a worker node with two simulated CPU device processes; returns once both run their worker. */
    private ChildJvm startNode(List<ProcessHandle> children) throws Exception {
        int seed = ChildJvm.freePort(); // nobody listens: the device processes keep trying to join
        ChildJvm node = ChildJvm.start(tmp.resolve("node.log"), Main.class.getName(), List.of(), "worker", "--join",
                "127.0.0.1:" + seed, "--cpu-workers", "2", "--simulate", "100-100", "--worker-heap", "192m",
                "--scratch", tmp.resolve("scratch").toString());
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            String l0 = read(tmp.resolve("scratch/logs/worker-0.log"));
            String l1 = read(tmp.resolve("scratch/logs/worker-1.log"));
            if (l0.contains("started on cpu()") && l1.contains("started on cpu()")) {
                break;
            }
            assertTrue(node.process.isAlive(), "node exited: " + read(node.log));
            assertTrue(System.nanoTime() < end, "device processes did not start: " + read(node.log) + l0 + l1);
            Thread.sleep(200);
        }
        children.addAll(node.process.children().toList());
        assertEquals(2, children.size(), "one process per device: " + children);
        return node;
    }

    private static String read(Path file) throws Exception {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    @Test
    void sigtermToTheNodeStopsEveryDeviceProcessBeforeTheNodeExits() throws Exception {
        List<ProcessHandle> children = new java.util.ArrayList<>();
        try (ChildJvm node = startNode(children)) {
            node.process.destroy(); // SIGTERM
            assertTrue(node.process.waitFor(60, TimeUnit.SECONDS), "node exited within the grace period");
            for (ProcessHandle c : children) {
                assertFalse(c.isAlive(), "device process " + c.pid() + " outlived its node");
            }
            String log = read(node.log);
            assertEquals(2, log.split("stopped: killed by SIGTERM", -1).length - 1, log);
            for (int i = 0; i < 2; i++) {
                String childLog = read(tmp.resolve("scratch/logs/worker-" + i + ".log"));
                assertFalse(childLog.contains("exited: shutting down"), "stopped by the forwarded SIGTERM, not by "
                        + "noticing its node was gone: " + childLog);
            }
        } finally {
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void deviceProcessesOfANodeKilledWithSigkillShutDownByThemselves() throws Exception {
        List<ProcessHandle> children = new java.util.ArrayList<>();
        try (ChildJvm node = startNode(children)) {
            node.kill(); // SIGKILL: no shutdown hook runs in the node
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (children.stream().anyMatch(ProcessHandle::isAlive)) {
                assertTrue(System.nanoTime() < end, "device processes still alive 30 s after their node died");
                Thread.sleep(200);
            }
            for (int i = 0; i < 2; i++) {
                String childLog = read(tmp.resolve("scratch/logs/worker-" + i + ".log"));
                assertTrue(childLog.contains("node process " + node.process.pid() + " exited: shutting down"), childLog);
            }
        } finally {
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
