package bitsweep.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.cluster.TlsMaterial;
import bitsweep.cluster.certs.ClusterCa;
import bitsweep.orchestrator.supervisor.TrialsFile;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import bitsweep.worker.sim.SimulatedTrialRunner;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A network partition, made with Linux network namespaces: the orchestrator and two workers each in a namespace
 * of their own, on a private bridge (10.77.0.0/24), talking mutually authenticated TLS as any non-loopback
 * cluster must. Worker A is cut off (its link taken down) in the middle of a trial, for longer than the
 * orchestrator's failure detection + split-brain-resolver time, then linked again.
 *
 * <p>Two cases. In the first, worker A's own split brain resolver is slowed down (stable-after 60 s instead of
 * 2 s), so that while cut off it keeps training and finishes its old attempt: when the link heals it really has
 * late messages to deliver (heartbeats, progress, the old attempt's result, a request for work) to an
 * orchestrator that has already downed it — the worst case. In the second, all timers are equal (the production
 * configuration, scaled down): worker A downs itself while still cut off, restarts its actor system and keeps
 * trying to join until the link is back.
 *
 * <p>Timers: {@link ChildJvm#FAST_CLUSTER} (failure detector heartbeat pause 1.5 s, stable-after 2 s) on every
 * node, plus {@code -Dpekko.cluster.split-brain-resolver.stable-after=60s} on worker A in the first case. A downed
 * worker whose actor system hangs in termination (it happens in either case, docs/cluster.md) goes on without it
 * after 5 s instead of 20 s: in the first case worker A is downed only after the link is back, and must rejoin
 * before the orchestrator, with only worker B's few remaining trials left, finishes the sweep.
 */
@Tag("slow") // in `mvn verify`, not the fast `mvn test` loop (docs/testing.md)
class NetworkPartitionTest {
    private static final Logger log = LoggerFactory.getLogger(NetworkPartitionTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NODE = ClusterTestNode.class.getName();
    private static final Map<String, String> ENV = Map.of(ClusterCa.CA_PASSWORD_ENV, "ca-test-secret",
            TlsMaterial.KEYSTORE_PASSWORD_ENV, "node-test-secret", TlsMaterial.TRUSTSTORE_PASSWORD_ENV,
            "trust-test-secret");
    /** How long a downed worker waits for its actor system to terminate (WorkerNode's bounded wait). */
    private static final String TERMINATION_TIMEOUT = "-Dbitsweep.test.termination-timeout=5";
    /** Every node listens on the same port, each in its own namespace (its own port space). */
    private static final int PORT = 25520;
    private static final int TRIALS = 8;
    private static final int EPOCHS = 4;
    private static final Pattern COMPLETED = Pattern.compile("trial (\\S+) completed \\(attempt (\\d+)\\)");

    @TempDir
    Path tmp;

    /** The cluster CA and the three nodes' certificates, shared by the tests: keytool takes a while. */
    @TempDir
    static Path certsDir;
    private static Path certs;

    private final String sweepName = "partition-" + Long.toHexString(System.nanoTime());

    @Test
    void cutOffWorkersTrialResumesOnTheOtherWorkerAndItsLateResultIsNotCounted() throws Exception {
        partition(true);
    }

    /**
     * Was disabled: in some runs (about 1 in 7 in CI) the worker's actor system hung in termination after downing
     * itself while cut off, and the worker stayed idle (docs/cluster.md). {@code WorkerNode} now stops waiting after
     * its bounded wait and starts a fresh actor system anyway (pinned by {@code WorkerNodeTest}).
     */
    @Test
    void cutOffWorkerThatDownsItselfRejoinsOnceTheLinkIsBack() throws Exception {
        partition(false);
    }

    /** @param outlivesCut whether worker A's own resolver is slow enough for it to stay up through the cut */
    private void partition(boolean outlivesCut) throws Exception {
        long started = System.nanoTime();
        try (NetworkNamespaces net = NetworkNamespaces.require()) {
            String orchHost = net.addNode("orch");
            String aHost = net.addNode("wa");
            String bHost = net.addNode("wb");
            Path tls = certificates(List.of(orchHost, aHost, bHost));

            Path results = tmp.resolve("results");
            Path scratchA = tmp.resolve("worker-a");
            Path scratchB = tmp.resolve("worker-b");
            List<String> orchArgs = new ArrayList<>(ChildJvm.FAST_CLUSTER);
            orchArgs.addAll(List.of("-Dbitsweep.test.host=" + orchHost,
                    "-Dbitsweep.test.tls-dir=" + tls.resolve("orch")));
            List<String> slowDowning = outlivesCut ? List.of("-Dpekko.cluster.split-brain-resolver.stable-after=60s")
                    : List.of();
            try (ChildJvm orch = ChildJvm.start(net.exec("orch"), tmp.resolve("orchestrator.log"), ENV, NODE, orchArgs,
                    "orchestrator", "" + PORT, results.toString(), "" + TRIALS, "" + EPOCHS, "2", "embedded",
                    sweepName);
                 ChildJvm a = worker(net, "wa", tls, orchHost, scratchA, slowDowning);
                 ChildJvm b = worker(net, "wb", tls, orchHost, scratchB, List.of())) {
                String trial = await("worker A to run a trial with a stored checkpoint", 90,
                        () -> runningWithStoredCheckpoint(scratchA, results));
                log.info("{} s after the start worker A runs {} with a stored checkpoint", seconds(started), trial);
                net.cut("wa");
                long cutAt = System.nanoTime();
                Path resumed = scratchB.resolve("worker-0").resolve(trial).resolve("attempt-2");
                await("trial " + trial + " to run again (attempt 2) on worker B", 60,
                        () -> Files.isDirectory(resumed) ? Optional.of(true) : Optional.empty());
                if (outlivesCut) {
                    Path oldResult = scratchA.resolve("worker-0").resolve(trial).resolve("attempt-1")
                            .resolve("result.json");
                    await("worker A, cut off, to finish its old attempt of " + trial, 30,
                            () -> Files.exists(oldResult) ? Optional.of(true) : Optional.empty());
                } else {
                    // its new actor system then keeps trying to join the unreachable seed
                    // a few s more if its old actor system hangs in termination (WorkerNode's bounded wait)
                    await("worker A, cut off, to down itself and start a new actor system", 60,
                            () -> count(tmp.resolve("wa.log"), "cluster transport:") >= 2 ? Optional.of(true)
                                    : Optional.empty());
                }
                assertTrue(a.process.isAlive() && b.process.isAlive() && orch.process.isAlive(), logs());
                net.heal("wa");
                log.info("link of worker A healed after {} s; trial {} runs on worker B", seconds(cutAt), trial);

                assertTrue(orch.process.waitFor(120, TimeUnit.SECONDS), "the orchestrator did not end"
                        + threadDump(orch) + logs());
                assertEquals(0, orch.process.exitValue(), "not every trial completed" + logs());

                List<TrialRecord> records = TrialsFile.read(results.resolve(TrialsFile.NAME));
                assertEquals(TRIALS, records.size());
                assertTrue(records.stream().allMatch(r -> r.status().equals(TrialStatus.COMPLETED)), records.toString());
                TrialRecord cut = records.stream().filter(r -> r.spec().trialId().equals(trial)).findFirst().orElseThrow();
                assertEquals(2, cut.attempts(), "the cut-off trial ran exactly twice: " + cut);
                for (TrialRecord r : records) {
                    if (!r.spec().trialId().equals(trial)) {
                        assertEquals(1, r.attempts(), "every other trial ran once (the rejoining worker was not "
                                + "reported lost again): " + r.spec().trialId() + logs());
                    }
                }
                SimulatedTrialRunner.Artifact artifact = JSON.readValue(results.resolve(cut.artifact()).toFile(),
                        SimulatedTrialRunner.Artifact.class);
                assertTrue(artifact.startedAtEpoch() > 1, "the stored result is attempt 2's, resumed from the "
                        + "checkpoint: it started at epoch " + artifact.startedAtEpoch());

                // every trial's result was accepted exactly once, the cut-off trial's from attempt 2
                List<String> completions = completions(results);
                for (TrialRecord r : records) {
                    String id = r.spec().trialId();
                    List<String> mine = completions.stream().filter(c -> c.startsWith(id + " ")).toList();
                    assertEquals(List.of(id + " " + r.attempts()), mine, "completions of " + id);
                }
                assertTrue(b.process.isAlive(), "worker B must still run" + logs());
                // the cut-off worker's JVM stays: it learns it was removed, starts a new actor system and rejoins
                assertTrue(a.process.isAlive(), "worker A must still run (it rejoins, it does not exit)" + logs());
                List<String> orchLog = Files.readAllLines(results.resolve("logs").resolve("orchestrator.log"));
                assertEquals(1, orchLog.stream().filter(l -> l.contains(" was lost while running ")).count(),
                        "only the cut-off worker's old incarnation was lost" + logs());
                String aLog = Files.readString(tmp.resolve("wa.log"));
                assertTrue(aLog.contains("re-joining"), "worker A restarted its actor system" + logs());
                if (outlivesCut) { // its late traffic reached the orchestrator, which refused it (Artery quarantine)
                    assertTrue(aLog.contains("quarantined this node"), logs());
                }
                assertTrue(orchLog.stream().filter(l -> l.contains("worker ") && l.contains(aHost)
                        && l.endsWith(" joined")).count() >= 2, "worker A joined again as a new incarnation" + logs());
                orchLog.stream().filter(l -> l.contains(" WARN ") || l.contains("joined") || l.contains(" left")
                                || l.contains("ignored") || l.contains("completed (attempt"))
                        .map(l -> l.length() > 250 ? l.substring(0, 250) + "…" : l)
                        .forEach(l -> log.info("orchestrator: {}", l));
            }
        }
    }

    /** Made once, for the addresses nodes 1-3 get ({@link NetworkNamespaces#address}). */
    private static synchronized Path certificates(List<String> hosts) throws IOException {
        assertEquals(List.of(NetworkNamespaces.address(1), NetworkNamespaces.address(2), NetworkNamespaces.address(3)),
                hosts);
        if (certs == null) {
            long start = System.nanoTime();
            Path dir = certsDir.resolve("certs");
            ClusterCa.init(dir, ENV);
            ClusterCa.node(dir, "orch", List.of(hosts.get(0)), false, ENV);
            ClusterCa.node(dir, "wa", List.of(hosts.get(1)), false, ENV);
            ClusterCa.node(dir, "wb", List.of(hosts.get(2)), false, ENV);
            certs = dir;
            log.info("cluster CA and 3 node certificates made in {} s", seconds(start));
        }
        return certs;
    }

    private ChildJvm worker(NetworkNamespaces net, String node, Path tls, String seedHost, Path scratch,
                            List<String> extra) throws IOException {
        List<String> args = new ArrayList<>(ChildJvm.FAST_CLUSTER);
        // TLS as a device process gets it from its node: -Dbitsweep.tls.*, the passwords in the environment
        args.addAll(List.of("-Dbitsweep.test.host=" + net.address(node), "-Dbitsweep.test.port=" + PORT,
                "-Dbitsweep.test.seed-host=" + seedHost, "-Dbitsweep.tls.enabled=on",
                "-Dbitsweep.tls.key-store=" + tls.resolve(node).resolve(TlsMaterial.NODE_KEYSTORE),
                "-Dbitsweep.tls.trust-store=" + tls.resolve(node).resolve(TlsMaterial.TRUSTSTORE),
                TERMINATION_TIMEOUT));
        args.addAll(extra);
        return ChildJvm.start(net.exec(node), tmp.resolve(node + ".log"), ENV, NODE, args, "worker", "" + PORT,
                scratch.toString(), "" + EPOCHS * 1000, "1");
    }

    /** A trial this worker runs whose checkpoint is in the artifact store and that has no result yet. */
    private static Optional<String> runningWithStoredCheckpoint(Path scratch, Path results) {
        Path dir = scratch.resolve("worker-0");
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> trials = Files.list(dir)) {
            for (Path t : trials.toList()) {
                Path stored = results.resolve("trials").resolve(t.getFileName().toString());
                if (Files.exists(stored.resolve("result.json")) || !Files.isDirectory(stored.resolve("checkpoints"))) {
                    continue;
                }
                try (Stream<Path> c = Files.list(stored.resolve("checkpoints"))) {
                    if (c.anyMatch(f -> f.toString().endsWith(".ckpt"))) {
                        return Optional.of(t.getFileName().toString());
                    }
                }
            }
        } catch (IOException e) {
            return Optional.empty(); // being written
        }
        return Optional.empty();
    }

    private static long count(Path log, String text) {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(text)).count();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    /** "TRIAL ATTEMPT" for every result the supervisor accepted, from its log. */
    private static List<String> completions(Path results) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(results.resolve("logs").resolve("orchestrator.log"))) {
            Matcher m = COMPLETED.matcher(line);
            if (m.find()) {
                out.add(m.group(1) + " " + m.group(2));
            }
        }
        return out;
    }

    private <T> T await(String what, long seconds, Supplier<Optional<T>> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            Optional<T> v = condition.get();
            if (v.isPresent()) {
                return v.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what + logs());
            }
            Thread.sleep(100);
        }
    }

    /** What a JVM that does not end is doing ({@code jcmd Thread.print}), for the failure message. */
    private static String threadDump(ChildJvm jvm) {
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    "" + jvm.process.pid(), "Thread.print").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return "\n==== threads of pid " + jvm.process.pid() + "\n" + out;
        } catch (IOException | InterruptedException e) {
            return "\n(no thread dump: " + e + ")";
        }
    }

    private static String seconds(long sinceNanos) {
        return String.format("%.1f", (System.nanoTime() - sinceNanos) / 1e9);
    }

    private String logs() throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.list(tmp)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                sb.append("\n==== ").append(f.getFileName()).append(" (last 60 lines)\n");
                lines.subList(Math.max(0, lines.size() - 60), lines.size()).forEach(l -> sb.append(l).append('\n'));
            }
        }
        return sb.toString();
    }
}
