package bitsweep.app.bench;

import bitsweep.cluster.ClusterConfig.HostPort;
import bitsweep.cluster.ClusterConfig;
import bitsweep.io.FileTrees;
import bitsweep.io.Json;
import bitsweep.orchestrator.journal.JournalStore;
import bitsweep.orchestrator.journal.SweepJournal;
import bitsweep.orchestrator.node.OrchestratorNode;
import bitsweep.orchestrator.report.SweepCompletion;
import bitsweep.orchestrator.report.SweepCompletionHook;
import bitsweep.orchestrator.supervisor.SupervisorSettings;
import bitsweep.orchestrator.supervisor.SweepProgress;
import bitsweep.protocol.Termination;
import bitsweep.sweep.Sweep;
import bitsweep.sweep.TrialSpec;
import bitsweep.sweep.TrialStatus;
import bitsweep.trial.TrialConfig;
import bitsweep.worker.sim.SimulatedTrialRunner;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bitsweep bench-scheduler}: the supervisor in this JVM, simulated workers in child JVMs on
 * loopback; measures how busy the scheduler keeps the workers, how fast it answers them, what the
 * supervisor costs (CPU per trial, heap, journal bytes per trial) and, in a fresh JVM, how long the
 * finished sweep's journal takes to replay before the next trial is handed out.
 *
 * <p>Supervisor CPU is this JVM's process CPU time: it runs the supervisor's actor system (supervisor,
 * cluster, Artery, journal, artifact store) and nothing else; the workers are other processes. The
 * total includes the JVM's JIT warm-up; the steady-state figure counts from the moment a fifth of the
 * trials had completed (from the supervisor's once-a-second progress) to the end.
 */
@Command(name = "bench-scheduler", mixinStandardHelpOptions = true,
        description = "Scheduler benchmark: TRIALS simulated trials (durations uniform in MIN..MAX ms) on WORKERS "
                + "simulated workers in WORKER_JVMS JVMs over loopback. Prints makespan efficiency "
                + "(sum of trial time / (workers x makespan)), ask-to-assignment latency p50/p99, supervisor CPU per "
                + "trial, heap, journal bytes per trial and the replay time of the finished sweep in a fresh JVM. "
                + "--scale: 1,000 workers in 4 JVMs, trials of 1-5 s.")
public final class BenchSchedulerCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(BenchSchedulerCommand.class);

    @Option(names = "--trials", defaultValue = "2000") int trials;
    @Option(names = "--min-ms", description = "shortest trial (default 50, with --scale 1000)") Long minMs;
    @Option(names = "--max-ms", description = "longest trial (default 500, with --scale 5000)") Long maxMs;
    @Option(names = {"--worker-jvms", "--jvms"}, description = "worker JVMs (default 4)") Integer jvms;
    @Option(names = "--workers", description = "simulated workers in all (default JVMS x WORKERS_PER_JVM; with "
            + "--scale 1000)") Integer workers;
    @Option(names = "--workers-per-jvm", defaultValue = "4", description = "when --workers is not given")
    int workersPerJvm;
    @Option(names = "--scale", description = "1,000 simulated workers in 4 JVMs, trials of 1000-5000 ms, simulated "
            + "batches of 1 s (unless set otherwise)") boolean scale;
    @Option(names = "--journal", description = "embedded (default) or postgresql://HOST:PORT/DB (user and password "
            + "in " + JournalStore.USER_VARIABLE + " / " + JournalStore.PASSWORD_VARIABLE + ")") String journalOption;
    @Option(names = "--no-replay", description = "skip the replay of the finished sweep in a fresh JVM")
    boolean noReplay;
    @Option(names = "--json", description = "also write the figures as JSON to this file") Path jsonFile;
    @Option(names = "--work-dir", description = "results and scratch, kept (default: a temporary directory, deleted at the end)") Path workDir;
    /** Where the journal's user and password come from (this process's environment; tests hand in theirs). */
    Map<String, String> env = System.getenv();

    /** The figures of one run (the JSON of {@code --json}). */
    public record Result(int trials, long completed, long failed, int workers, int workerJvms, long minMs, long maxMs,
                         String journal, double makespanSeconds, double efficiency, double p50Ms, double p99Ms,
                         double warmP50Ms, double warmP99Ms, double cpuMsPerTrial, double cpuMsPerTrialWithoutJit,
                         double steadyCpuMsPerTrial,
                         double jitSeconds, double gcSeconds, double heapMiB, long journalEvents, long journalWrites,
                         long journalEventBytes, long snapshotBytes, double journalBytesPerTrial,
                         Replay replay, double loadAverageStart, double loadAverageEnd,
                         Map<String, Long> threadCpuMs) {
    }

    /** What the fresh JVM measured (see {@link BenchReplayMain}); all times from that JVM's start. */
    public record Replay(double recoveredSeconds, double nextTrialAssignedSeconds, double supervisorStartSeconds,
                         double heapMiB) {
    }

    @Override
    public Integer call() throws Exception {
        long min = minMs != null ? minMs : scale ? 1000 : 50;
        long max = maxMs != null ? maxMs : scale ? 5000 : 500;
        int nJvms = jvms != null ? jvms : 4;
        int total = workers != null ? workers : scale ? 1000 : nJvms * workersPerJvm;
        if (trials < 1 || nJvms < 1 || total < nJvms || min < 0 || max < min) {
            throw new IllegalArgumentException("need --trials >= 1, --worker-jvms >= 1, --workers >= --worker-jvms "
                    + "and 0 <= --min-ms <= --max-ms");
        }
        Path dir = workDir != null ? workDir : Files.createTempDirectory("bitsweep-bench");
        Path results = dir.resolve("results");
        JournalStore store = JournalStore.parse(journalOption, results, env);
        double loadStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        SweepJournal journal = OrchestratorNode.prepareResults(results, true, store, SWEEP);
        int port = freePort();
        HostPort self = new HostPort("127.0.0.1", port);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), ClusterConfig.SYSTEM_NAME,
                journal.configure(ClusterConfig.node().bind(self).seeds(List.of(self)).roles("orchestrator")).build());
        List<Process> children = new ArrayList<>();
        List<Path> latencyFiles = new ArrayList<>();
        // batches of 1 s for many workers per JVM: their wake-ups would otherwise take the cores being measured
        long batchMs = total / nJvms > 32 ? 1000 : 10;
        SweepCompletion done;
        long cpuNanos;
        double steadyCpuMsPerTrial;
        long heap;
        Map<String, Long> threadCpu;
        long jitBefore;
        long journalWrites;
        try {
            SupervisorSettings settings = SupervisorSettings.of(sweep(trials), results).withMinWorkers(total)
                    .withStatusInterval(Duration.ofSeconds(5)).withHook(SweepCompletionHook.LOG);
            List<long[]> progress = new CopyOnWriteArrayList<>(); // {completed, process CPU ns}
            system.systemActorOf(Behaviors.<SweepProgress>setup(ctx -> {
                system.eventStream().tell(new EventStream.Subscribe<>(SweepProgress.class, ctx.getSelf()));
                return Behaviors.receiveMessage(p -> {
                    progress.add(new long[]{p.completed(), processCpuNanos()});
                    return Behaviors.same();
                });
            }), "bench-progress", Props.empty());
            var handle = OrchestratorNode.startSupervisor(system, settings);
            for (int i = 0; i < nJvms; i++) {
                int here = total / nJvms + (i < total % nJvms ? 1 : 0);
                Path lat = dir.resolve("latency-" + i + ".txt");
                latencyFiles.add(lat);
                // GC log per worker JVM: its pauses delay every ask in flight there (see docs/cluster.md)
                children.add(new ProcessBuilder(javaBin(), here > 32 ? "-Xmx768m" : "-Xmx256m", "-XX:+UseSerialGC",
                        "-Xlog:gc:file=" + dir.resolve("gc-" + i + ".log"), "-XX:TieredStopAtLevel=1",
                        "-D" + SimulatedTrialRunner.BATCH_MS_PROPERTY + "=" + batchMs, "-cp", classPath(),
                        BenchWorkerMain.class.getName(), "" + port, dir.resolve("scratch-" + i).toString(), "" + min,
                        "" + max, "" + here, lat.toString()).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("worker-jvm-" + i + ".log").toFile()).start());
            }
            log.info("benchmark: {} trials of {}-{} ms on {} workers in {} JVMs, journal {}; waiting for the sweep",
                    trials, min, max, total, nJvms, store.describe());
            long cpuBefore = processCpuNanos();
            jitBefore = ThreadCpu.jitMillis(ThreadCpu.byGroup());
            done = handle.completion().get(2, TimeUnit.HOURS);
            long cpuEnd = processCpuNanos();
            journalWrites = handle.status(system, Duration.ofSeconds(30)).journalWrites();
            cpuNanos = cpuEnd - cpuBefore;
            steadyCpuMsPerTrial = steadyCpu(progress, trials, cpuEnd);
            threadCpu = ThreadCpu.byGroup();
            System.gc();
            heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            for (Process p : children) {
                p.destroy(); // SIGTERM: the worker JVMs write their latency samples on the way out
            }
            for (Process p : children) {
                p.waitFor(60, TimeUnit.SECONDS);
            }
        } finally {
            children.forEach(Process::destroyForcibly);
            system.terminate();
            Termination.await(system.getWhenTerminated(), Termination.DEFAULT_TIMEOUT, "the benchmark's actor system",
                    "going on with the report");
            journal.close();
        }
        long[] events = journalSize(store);
        Replay replay = noReplay ? null : replay(dir, results, store, trials, env);
        Latencies lat = Latencies.read(latencyFiles, total);
        double busy = done.trials().stream().filter(t -> t.result() != null)
                .mapToDouble(t -> t.result().wallSeconds()).sum();
        double makespan = (done.lastCompletionMillis() - done.firstAssignmentMillis()) / 1000.0;
        double jit = ManagementFactory.getCompilationMXBean().getTotalCompilationTime() / 1000.0;
        double gc = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(b -> Math.max(0, b.getCollectionTime())).sum() / 1000.0;
        Result r = new Result(trials, done.count(TrialStatus.COMPLETED), done.count(TrialStatus.FAILED), total, nJvms,
                min, max, store instanceof JournalStore.Embedded ? "embedded" : "postgresql", makespan,
                busy / (total * makespan), lat.p50(), lat.p99(), lat.warmP50(), lat.warmP99(),
                cpuNanos / 1e6 / trials,
                (cpuNanos / 1e6 - (ThreadCpu.jitMillis(threadCpu) - jitBefore)) / trials, steadyCpuMsPerTrial, jit, gc, heap / (1024.0 * 1024.0), events[0], journalWrites, events[1],
                events[2], (events[1] + events[2]) / (double) trials, replay, loadStart,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), threadCpu);
        System.out.print(report(r, lat));
        if (jsonFile != null) {
            Files.writeString(jsonFile, Json.PRETTY.writeValueAsString(r), StandardCharsets.UTF_8);
        }
        if (workDir == null && !FileTrees.deleteQuietly(dir)) { // its journal, scratch and logs: tens of MB per run
            log.warn("could not delete all of the benchmark's temporary folder {}", dir);
        }
        return r.completed() == trials ? 0 : 1;
    }

    /** CPU per trial from the first progress tick with a fifth of the trials completed to the end (NaN if none). */
    static double steadyCpu(List<long[]> progress, int trials, long cpuEnd) {
        for (long[] p : progress) {
            if (p[0] >= trials / 5 && p[0] < trials) {
                return (cpuEnd - p[1]) / 1e6 / (trials - p[0]);
            }
        }
        return Double.NaN;
    }

    /** {events, event bytes, snapshot bytes} of the bench sweep in its journal (read after it was closed). */
    static long[] journalSize(JournalStore store) throws Exception {
        JournalStore.Postgres pg = store instanceof JournalStore.Postgres p ? p : null;
        String id = bitsweep.orchestrator.supervisor.Supervisor.persistenceId(SWEEP).id();
        try (Connection c = DriverManager.getConnection(store.jdbcUrl(), pg == null ? "" : pg.user(),
                pg == null ? "" : pg.password())) {
            long[] events = row(c, "SELECT COUNT(*), COALESCE(SUM(OCTET_LENGTH(\"event_payload\")), 0) "
                    + "FROM \"event_journal\" WHERE \"persistence_id\" = ?", id, 2);
            long[] snapshots = row(c, "SELECT COALESCE(SUM(OCTET_LENGTH(\"snapshot_payload\")), 0) "
                    + "FROM \"snapshot\" WHERE \"persistence_id\" = ?", id, 1);
            return new long[] {events[0], events[1], snapshots[0]};
        }
    }

    /** The first {@code columns} longs of the one row {@code sql} returns for {@code persistenceId}. */
    private static long[] row(Connection c, String sql, String persistenceId, int columns) throws Exception {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, persistenceId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                long[] out = new long[columns];
                for (int i = 0; i < columns; i++) {
                    out[i] = rs.getLong(i + 1);
                }
                return out;
            }
        }
    }

    /** Starts {@link BenchReplayMain} on the finished sweep and reads its figures. */
    private static Replay replay(Path dir, Path results, JournalStore store, int trials, Map<String, String> env)
            throws Exception {
        Path out = dir.resolve("replay.json");
        Files.deleteIfExists(out);
        String journalArg = store instanceof JournalStore.Postgres pg
                ? "postgresql://" + pg.host() + ":" + pg.port() + "/" + pg.database() : "embedded";
        List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx2g"));
        // the fresh supervisor runs with this one's JIT (the launcher's C1-only for coordinating commands)
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-XX:TieredStopAtLevel")).forEach(command::add);
        command.addAll(List.of("-cp", classPath(), BenchReplayMain.class.getName(), results.toString(), journalArg,
                "" + trials, out.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("replay-jvm.log").toFile());
        for (String v : List.of(JournalStore.USER_VARIABLE, JournalStore.PASSWORD_VARIABLE)) {
            if (env.get(v) != null) {
                pb.environment().put(v, env.get(v));
            }
        }
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("the replay JVM did not finish in 10 minutes; see "
                    + dir.resolve("replay-jvm.log"));
        }
        if (p.exitValue() != 0 || !Files.exists(out)) {
            throw new IllegalStateException("the replay JVM failed (exit " + p.exitValue() + "); see "
                    + dir.resolve("replay-jvm.log"));
        }
        return Json.PRETTY.readValue(out.toFile(), Replay.class);
    }

    /** Trials per worker counted as warm-up in the second latency line. */
    static final int WARMUP_TRIALS = 5;

    /** Ask-to-assignment latencies (ns) the worker JVMs wrote. */
    record Latencies(List<Long> all, List<Long> warm, List<Long> firstAsks) {
        static Latencies read(List<Path> files, int workers) throws Exception {
            List<Long> lat = new ArrayList<>();
            List<Long> warm = new ArrayList<>();
            List<Long> firstAsks = new ArrayList<>();
            // JIT warm-up: every JVM is slow for its first seconds, so each worker's first WARMUP_TRIALS asks
            // are also reported apart (the samples of one worker JVM are in ask order)
            int warmupAsks = WARMUP_TRIALS * Math.max(1, workers / Math.max(1, files.size()));
            for (Path f : files) {
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
            return new Latencies(lat, warm, firstAsks);
        }

        double p50() {
            return all.isEmpty() ? Double.NaN : pct(all, 0.50) / 1e6;
        }

        double p99() {
            return all.isEmpty() ? Double.NaN : pct(all, 0.99) / 1e6;
        }

        double warmP50() {
            return warm.isEmpty() ? Double.NaN : pct(warm, 0.50) / 1e6;
        }

        double warmP99() {
            return warm.isEmpty() ? Double.NaN : pct(warm, 0.99) / 1e6;
        }
    }

    static String report(Result r, Latencies l) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("trials: %d completed, %d failed (%d-%d ms each; %d workers in %d JVMs; journal %s)%n",
                r.completed(), r.failed(), r.minMs(), r.maxMs(), r.workers(), r.workerJvms(), r.journal()));
        sb.append(String.format("makespan (first assignment to last completion): %.2f s; makespan efficiency: %.4f%n",
                r.makespanSeconds(), r.efficiency()));
        if (!l.all().isEmpty()) {
            sb.append(String.format("ask->assigned latency over %d requests for a next trial: p50 %.2f ms, p99 %.2f ms,"
                    + " max %.2f ms%n", l.all().size(), r.p50Ms(), r.p99Ms(), l.all().get(l.all().size() - 1) / 1e6));
        }
        if (!l.warm().isEmpty()) {
            sb.append(String.format("  the same after each worker's first %d trials (JIT warm-up): %d requests, p50 %.2f ms,"
                    + " p99 %.2f ms, max %.2f ms%n", WARMUP_TRIALS, l.warm().size(), r.warmP50Ms(), r.warmP99Ms(),
                    l.warm().get(l.warm().size() - 1) / 1e6));
        }
        if (!l.firstAsks().isEmpty()) {
            List<Long> all = new ArrayList<>(l.all());
            all.addAll(l.firstAsks());
            all.sort(null);
            sb.append(String.format("first ask of each of %d workers (waits for all workers to join): max %.2f ms;"
                    + " all %d requests together: p99 %.2f ms%n", l.firstAsks().size(),
                    l.firstAsks().get(l.firstAsks().size() - 1) / 1e6, all.size(), pct(all, 0.99) / 1e6));
        }
        sb.append(String.format("supervisor JVM CPU time: %.2f ms per trial in all; %.2f ms without the JIT compiler "
                + "threads; steady state (after a fifth of the trials): %.2f ms per trial (JIT %.1f s, GC %.1f s by "
                + "their MXBeans)%n", r.cpuMsPerTrial(), r.cpuMsPerTrialWithoutJit(), r.steadyCpuMsPerTrial(),
                r.jitSeconds(), r.gcSeconds()));
        if (!r.threadCpuMs().isEmpty()) {
            sb.append("  CPU by thread group (ms, whole JVM life, live threads):");
            r.threadCpuMs().entrySet().stream().limit(12)
                    .forEach(e -> sb.append(' ').append(e.getKey()).append('=').append(e.getValue()));
            sb.append(String.format("%n"));
        }
        sb.append(String.format("supervisor JVM heap after GC: %.1f MiB%n", r.heapMiB()));
        sb.append(String.format("journal: %d events (%.1f per trial) in %d writes (%.2f per trial), %.0f bytes per "
                + "trial (events %d B, snapshots %d B)%n", r.journalEvents(), r.journalEvents() / (double) r.trials(),
                r.journalWrites(), r.journalWrites() / (double) r.trials(), r.journalBytesPerTrial(),
                r.journalEventBytes(), r.snapshotBytes()));
        if (r.replay() != null) {
            sb.append(String.format("replay in a fresh JVM (from its start): supervisor started %.2f s, journal "
                    + "recovered %.2f s, next trial handed out %.2f s; heap %.1f MiB%n",
                    r.replay().supervisorStartSeconds(), r.replay().recoveredSeconds(),
                    r.replay().nextTrialAssignedSeconds(), r.replay().heapMiB()));
        }
        sb.append(String.format("load average: %.1f at the start, %.1f at the end%n", r.loadAverageStart(),
                r.loadAverageEnd()));
        return sb.toString();
    }

    static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private static double pct(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Surefire may run from a manifest-only jar; its test class path works for the children too. */
    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path").replace(";", File.pathSeparator);
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static final String SWEEP = "bench-scheduler";

    static Sweep sweep(int trials) throws Exception {
        TrialConfig config = Json.MAPPER.readValue("{\"experiment\":\"mnist\",\"epochs\":1}", TrialConfig.class);
        List<TrialSpec> specs = new ArrayList<>(trials);
        for (int i = 0; i < trials; i++) {
            specs.add(new TrialSpec(String.format("bench-%06d", i), SWEEP, "simulated", Map.of("i", i), config));
        }
        return new Sweep(SWEEP, Path.of(SWEEP), "mnist", specs, 3, 0);
    }
}
