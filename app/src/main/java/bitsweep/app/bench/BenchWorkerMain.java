package bitsweep.app.bench;

import bitsweep.cluster.ClusterConfig.HostPort;
import bitsweep.worker.AssignmentLatency;
import bitsweep.worker.WorkerNode;
import bitsweep.worker.sim.SimulatedTrialRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * A worker JVM of the scheduler benchmark: N simulated workers; on shutdown (SIGTERM) it writes its
 * ask-to-assignment latencies (ns, one per line) to a file the benchmark reads.
 *
 * <p>Several workers share this JVM on purpose (in-process, not {@code DeviceProcessMain}): the simulated
 * trainer uses no DJL, so the one-gradient-collector-per-process limit of the real trainer (issue 8)
 * does not apply, and the benchmark's JVM layout ({@code --jvms} × {@code --workers-per-jvm}) stays
 * comparable with the figures in docs/cluster.md.
 *
 * <pre>BenchWorkerMain SEED_PORT SCRATCH MIN_MS MAX_MS WORKERS LATENCY_FILE</pre>
 */
public final class BenchWorkerMain {
    private BenchWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        AssignmentLatency latency = new AssignmentLatency(1_000_000);
        Path out = Path.of(args[5]);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                // steady-state asks as plain lines, each worker's first ask prefixed with "first "
                String lines = LongStream.of(latency.snapshot()).mapToObj(Long::toString)
                        .collect(Collectors.joining("\n")) + "\n" + LongStream.of(latency.firstAskSnapshot())
                        .mapToObj(v -> "first " + v).collect(Collectors.joining("\n"));
                Files.writeString(out, lines, StandardCharsets.UTF_8);
            } catch (Exception e) {
                e.printStackTrace(); // nowhere else to report during JVM shutdown
            }
        }));
        SimulatedTrialRunner.Settings sim = SimulatedTrialRunner.Settings.durations(Long.parseLong(args[2]),
                Long.parseLong(args[3]));
        WorkerNode node = WorkerNode.start(new WorkerNode.Options(
                List.of(new HostPort("127.0.0.1", Integer.parseInt(args[0]))), new HostPort("127.0.0.1", 0),
                Collections.nCopies(Integer.parseInt(args[4]), "cpu()"), device -> new SimulatedTrialRunner(sim),
                Path.of(args[1]), latency));
        node.stopped().get();
    }
}
