package bitsweep.app.bench;

import bitsweep.cli.Subcommand;
import bitsweep.orchestrator.journal.JournalStore;
import bitsweep.orchestrator.journal.SweepJournal;
import bitsweep.orchestrator.node.OrchestratorNode;
import bitsweep.orchestrator.supervisor.SupervisorSettings;
import bitsweep.orchestrator.supervisor.SweepCompletion;
import bitsweep.orchestrator.supervisor.SweepCompletionHook;
import bitsweep.protocol.ClusterConfig;
import bitsweep.protocol.ClusterConfig.HostPort;
import bitsweep.sweep.Sweep;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialSpec;
import bitsweep.train.TrialConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bitsweep bench-scheduler}: the supervisor in this JVM, simulated workers in child JVMs on
 * loopback; measures how busy the scheduler keeps the workers and how fast it answers them.
 */
@Command(name = "bench-scheduler", mixinStandardHelpOptions = true,
        description = "Scheduler benchmark: TRIALS simulated trials (durations drawn from MIN..MAX ms) on "
                + "JVMS x WORKERS simulated workers over loopback. Prints makespan efficiency "
                + "(sum of trial time / (workers x makespan)), ask-to-assignment latency p50/p99, supervisor heap.")
public final class BenchSchedulerCommand implements Callable<Integer>, Subcommand {
    private static final Logger log = LoggerFactory.getLogger(BenchSchedulerCommand.class);

    @Option(names = "--trials", defaultValue = "2000") int trials;
    @Option(names = "--min-ms", defaultValue = "50") long minMs;
    @Option(names = "--max-ms", defaultValue = "500") long maxMs;
    @Option(names = "--jvms", defaultValue = "4") int jvms;
    @Option(names = "--workers-per-jvm", defaultValue = "4") int workersPerJvm;
    @Option(names = "--work-dir", description = "results and scratch (default: a temporary directory)") Path workDir;

    @Override
    public Integer call() throws Exception {
        Path dir = workDir != null ? workDir : Files.createTempDirectory("bitsweep-bench");
        Path results = dir.resolve("results");
        // journals into embedded H2 like a default `run`
        SweepJournal journal = OrchestratorNode.prepareResults(results, true, new JournalStore.Embedded(results),
                "bench-scheduler");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        HostPort self = new HostPort("127.0.0.1", port);
        int workers = jvms * workersPerJvm;
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), ClusterConfig.SYSTEM_NAME,
                journal.configure(ClusterConfig.node().bind(self).seeds(List.of(self)).roles("orchestrator")).build());
        List<Process> children = new ArrayList<>();
        List<Path> latencyFiles = new ArrayList<>();
        try {
            SupervisorSettings settings = SupervisorSettings.of(sweep(trials), results).withMinWorkers(workers)
                    .withStatusInterval(Duration.ofSeconds(5)).withHook(SweepCompletionHook.LOG);
            var handle = OrchestratorNode.startSupervisor(system, settings);
            for (int i = 0; i < jvms; i++) {
                Path lat = dir.resolve("latency-" + i + ".txt");
                latencyFiles.add(lat);
                // GC log per worker JVM: its pauses delay every ask in flight there (see docs/cluster.md)
                children.add(new ProcessBuilder(javaBin(), "-Xmx256m", "-XX:+UseSerialGC",
                        "-Xlog:gc:file=" + dir.resolve("gc-" + i + ".log"), "-XX:TieredStopAtLevel=1", "-cp",
                        System.getProperty("java.class.path"), BenchWorkerMain.class.getName(), "" + port,
                        dir.resolve("scratch-" + i).toString(), "" + minMs, "" + maxMs, "" + workersPerJvm,
                        lat.toString()).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("worker-jvm-" + i + ".log").toFile()).start());
            }
            log.info("benchmark: {} trials of {}-{} ms on {} workers in {} JVMs; waiting for the sweep", trials,
                    minMs, maxMs, workers, jvms);
            long cpuBefore = processCpuNanos();
            SweepCompletion done = handle.completion().get(30, TimeUnit.MINUTES);
            long cpuNanos = processCpuNanos() - cpuBefore;
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            for (Process p : children) {
                p.destroy(); // SIGTERM: the worker JVMs write their latency samples on the way out
            }
            for (Process p : children) {
                p.waitFor(60, TimeUnit.SECONDS);
            }
            System.out.print(report(done, workers, latencyFiles, heap));
            System.out.printf("supervisor JVM CPU time: %.2f ms per trial (%.1f s in all; load average at the end %.1f)%n",
                    cpuNanos / 1e6 / done.trials().size(), cpuNanos / 1e9,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            return 0;
        } finally {
            children.forEach(Process::destroyForcibly);
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get();
            journal.close();
        }
    }

    /** Trials per worker counted as warm-up in the second latency line. */
    static final int WARMUP_TRIALS = 5;

    static String report(SweepCompletion done, int workers, List<Path> latencyFiles, long heapBytes)
            throws Exception {
        double busy = done.trials().stream().filter(t -> t.result() != null).mapToDouble(t -> t.result().wallSeconds())
                .sum();
        double makespan = (done.lastCompletionMillis() - done.firstAssignmentMillis()) / 1000.0;
        List<Long> lat = new ArrayList<>();
        List<Long> warm = new ArrayList<>();
        List<Long> firstAsks = new ArrayList<>();
        // JIT warm-up: every JVM is slow for its first seconds, so each worker's first WARMUP_TRIALS asks
        // are also reported apart (the samples of one worker JVM are in ask order)
        int warmupAsks = WARMUP_TRIALS * Math.max(1, workers / Math.max(1, latencyFiles.size()));
        for (Path f : latencyFiles) {
            if (Files.exists(f)) {
                int n = 0;
                for (String line : Files.readAllLines(f)) {
                    if (line.startsWith("first ")) {
                        firstAsks.add(Long.parseLong(line.substring(6).trim()));
                    } else if (!line.isBlank()) {
                        long v = Long.parseLong(line.trim());
                        lat.add(v);
                        if (n++ >= warmupAsks) {
                            warm.add(v);
                        }
                    }
                }
            }
        }
        lat.sort(null);
        warm.sort(null);
        firstAsks.sort(null);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("trials: %d completed, %d failed%n", done.count(TrialRecord.COMPLETED),
                done.count(TrialRecord.FAILED)));
        sb.append(String.format("sum of trial time: %.1f s; workers: %d; makespan (first assignment to last "
                + "completion): %.2f s%n", busy, workers, makespan));
        sb.append(String.format("makespan efficiency: %.4f%n", busy / (workers * makespan)));
        if (!lat.isEmpty()) {
            sb.append(String.format("ask->assigned latency over %d requests for a next trial: p50 %.2f ms, p99 %.2f ms,"
                    + " max %.2f ms%n", lat.size(), pct(lat, 0.50) / 1e6, pct(lat, 0.99) / 1e6,
                    lat.get(lat.size() - 1) / 1e6));
        }
        if (!warm.isEmpty()) {
            sb.append(String.format("  the same after each worker's first %d trials (JIT warm-up): %d requests, p50 %.2f ms,"
                    + " p99 %.2f ms, max %.2f ms%n", WARMUP_TRIALS, warm.size(), pct(warm, 0.50) / 1e6,
                    pct(warm, 0.99) / 1e6, warm.get(warm.size() - 1) / 1e6));
        }
        if (!firstAsks.isEmpty()) {
            List<Long> all = new ArrayList<>(lat);
            all.addAll(firstAsks);
            all.sort(null);
            sb.append(String.format("first ask of each of %d workers (waits for all workers to join): max %.2f ms;"
                    + " all %d requests together: p99 %.2f ms%n", firstAsks.size(),
                    firstAsks.get(firstAsks.size() - 1) / 1e6, all.size(), pct(all, 0.99) / 1e6));
        }
        sb.append(String.format("supervisor JVM heap after GC: %.1f MiB%n", heapBytes / (1024.0 * 1024.0)));
        return sb.toString();
    }

    private static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private static double pct(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static Sweep sweep(int trials) throws Exception {
        TrialConfig config = new ObjectMapper().readValue("{\"experiment\":\"mnist\",\"epochs\":1}", TrialConfig.class);
        List<TrialSpec> specs = new ArrayList<>(trials);
        for (int i = 0; i < trials; i++) {
            specs.add(new TrialSpec(String.format("bench-%05d", i), "bench-scheduler", "simulated", Map.of("i", i),
                    config));
        }
        return new Sweep("bench-scheduler", Path.of("bench-scheduler"), "mnist", specs, 3, 0);
    }
}
