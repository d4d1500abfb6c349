package bitsweep.worker.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.cluster.ClusterConfig.HostPort;
import bitsweep.worker.process.DeviceProcesses.ChildSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The device processes' command lines: java binary, JVM options passed through, class path, arguments. */
class ChildJvmTest {
    private static final long GIB = 1024L * 1024 * 1024;

    private static final ChildJvm NODE = new ChildJvm("/opt/jdk/bin/java",
            List.of("-Xmx8g", "-Xms1g", "-Dai.djl.offline=true", "-Dpekko.remote.artery.canonical.port=25520",
                    "-Dpekko.cluster.roles.0=orchestrator", "-Dai.djl.pytorch.num_threads=2", "-XX:+UseSerialGC",
                    "-XX:StartFlightRecording=filename=node.jfr", "-agentlib:jdwp=transport=dt_socket,address=5005",
                    "-Xlog:gc:file=gc.log", "-Xss2m", "-ea", "-XX:TieredStopAtLevel=1"),
            Map.of("ai.djl.offline", "true", "pekko.cluster.failure-detector.acceptable-heartbeat-pause", "1500ms",
                    "java.vendor", "x", "user.dir", "/home/me", "pekko.cluster.seed-nodes.0", "pekko://bitsweep@a:1"),
            "/app/bitsweep.jar", 24 * GIB);

    @Test
    void childOptionsGetTheirOwnHeapAndThreadsAndInheritOnlyTheListedNodeOptions() {
        DeviceSlot cpu = DeviceSlot.plan(List.of("cpu()", "cpu()"), 1, 2, null).get(0);
        List<String> opts = NODE.options("4g", cpu);
        assertEquals("-Xmx4g", opts.get(0));
        assertEquals(List.of("-Xmx4g", "-XX:+UseSerialGC", "-Xss2m", "-ea", "-Dai.djl.offline=true",
                "-Dpekko.cluster.failure-detector.acceptable-heartbeat-pause=1500ms"),
                opts.subList(0, 6));
        assertTrue(opts.containsAll(List.of("-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1")));
        for (String o : opts) {
            assertFalse(o.startsWith("-Xmx8g") || o.startsWith("-Xms") || o.startsWith("-agentlib")
                    || o.startsWith("-Xlog") || o.contains("FlightRecording") || o.contains("canonical")
                    || o.contains("roles") || o.contains("seed-nodes") || o.contains("num_threads=2")
                    || o.contains("java.vendor") || o.contains("user.dir")
                    || o.contains("TieredStopAtLevel"), o); // the node's C1-only JIT is not for a trainer
        }
    }

    @Test
    void gpuChildCommandLinesRunTheDeviceProcessMainWithTheNodesClassPathAndArguments() {
        List<DeviceSlot> slots = DeviceSlot.plan(List.of("gpu(0)", "gpu(3)"), 1, 16, null);
        DeviceProcesses node = new DeviceProcesses(List.of(new HostPort("10.0.0.5", 25520)),
                new HostPort("10.0.0.6", 25600), Path.of("/scratch"), Path.of("/scratch/logs"), null, null, 4242);
        List<ChildSpec> children = node.children(slots, NODE);
        ChildSpec second = children.get(1);
        List<String> cmd = second.command();
        assertEquals("/opt/jdk/bin/java", cmd.get(0));
        assertEquals("-Xmx4g", cmd.get(1), "24 GiB / (2 x (2 children + node))");
        int cp = cmd.indexOf("-cp");
        assertEquals("/app/bitsweep.jar", cmd.get(cp + 1));
        assertEquals(DeviceProcesses.MAIN_CLASS, cmd.get(cp + 2));
        assertEquals(List.of("--seeds", "10.0.0.5:25520", "--bind", "10.0.0.6:25601", "--device", "gpu(0)",
                "--name", "worker-1:gpu(3)", "--scratch", "/scratch/worker-1", "--parent-pid", "4242"),
                cmd.subList(cp + 3, cmd.size()));
        assertEquals("3", second.env().get("CUDA_VISIBLE_DEVICES"));
        // the trainers' glibc mmap threshold: the launcher's, inherited, or the default when the node has none
        assertEquals(System.getenv("MALLOC_MMAP_THRESHOLD_") == null ? Map.of("CUDA_VISIBLE_DEVICES", "3",
                "MALLOC_MMAP_THRESHOLD_", "16777216") : Map.of("CUDA_VISIBLE_DEVICES", "3"), second.env());
        assertEquals(Path.of("/scratch/logs/worker-1.log"), second.logFile());
        assertEquals("worker-1:gpu(3)", second.label());
    }

    @Test
    void simulatedTrainerAndExplicitHeapPassThroughAndPortZeroStaysZero() {
        List<DeviceSlot> slots = DeviceSlot.plan(List.of("cpu()", "cpu()"), 2, 2, null);
        DeviceProcesses node = new DeviceProcesses(List.of(new HostPort("127.0.0.1", 40000)),
                new HostPort("127.0.0.1", 0), Path.of("/r/scratch"), Path.of("/r/logs"), "100-200", "768m", 1);
        List<ChildSpec> children = node.children(slots, NODE);
        assertEquals(4, children.size());
        for (ChildSpec c : children) {
            List<String> cmd = c.command();
            assertEquals("-Xmx768m", cmd.get(1));
            assertEquals("127.0.0.1:0", cmd.get(cmd.indexOf("--bind") + 1));
            assertEquals(List.of("--simulate", "100-200"), cmd.subList(cmd.size() - 2, cmd.size()));
            assertEquals("1", c.env().get("OMP_NUM_THREADS"));
        }
        assertEquals(Path.of("/r/logs/worker-3.log"), children.get(3).logFile());
    }

    @Test
    void defaultHeapIsAnEvenShareOfHalfTheMemoryBetween512mAnd8g() {
        assertEquals("4g", ChildJvm.defaultHeap(24 * GIB, 2));
        assertEquals("8g", ChildJvm.defaultHeap(1024 * GIB, 8));
        assertEquals("512m", ChildJvm.defaultHeap(2 * GIB, 8));
        assertEquals("1536m", ChildJvm.defaultHeap(12 * GIB, 3));
        assertEquals("4g", ChildJvm.checkHeap(" 4g"));
        assertThrows(IllegalArgumentException.class, () -> ChildJvm.checkHeap("lots"));
    }

    @Test
    void passwordPropertiesAreNeverPassedToAChildsCommandLine() {
        ChildJvm node = new ChildJvm("/opt/jdk/bin/java",
                List.of("-Dbitsweep.tls.key-store-password=hunter22", "-Dbitsweep.tls.key-store=/etc/b/node.p12"),
                Map.of("bitsweep.tls.trust-store-password", "hunter33", "pekko.remote.artery.ssl.config-ssl-engine"
                        + ".key-password", "hunter44"), "/app/bitsweep.jar", 24 * GIB);
        DeviceSlot cpu = DeviceSlot.plan(List.of("cpu()"), 1, 2, null).get(0);
        String cmd = String.join(" ", node.command("1g", cpu, Map.of("bitsweep.tls.enabled", "on"),
                DeviceProcesses.MAIN_CLASS, List.of()));
        assertFalse(cmd.contains("hunter") || cmd.contains("password"), cmd);
        assertTrue(cmd.contains("-Dbitsweep.tls.key-store=/etc/b/node.p12") && cmd.contains("-Dbitsweep.tls.enabled=on"),
                cmd);
    }
}
