package bitsweep.app.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.orchestrator.supervisor.TrialsFile;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import bitsweep.worker.sim.SimulatedTrialRunner;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real JVMs on 127.0.0.1: one orchestrator and two worker nodes running a sweep with the simulated
 * trainer, with {@code kill -9} (destroyForcibly) of a worker and of the orchestrator, each with the embedded
 * journal and with PostgreSQL. Everything is asserted on the results folder: trials.jsonl and the artifacts that
 * travelled over the cluster.
 */
@Tag("slow") // in `mvn verify`, not the fast `mvn test` loop (docs/testing.md)
class MultiJvmClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NODE = ClusterTestNode.class.getName();

    @TempDir
    Path tmp;

    /** A sweep name of its own per test: on PostgreSQL every test's sweep shares one database. */
    private final String sweepName = "multi-jvm-" + Long.toHexString(System.nanoTime());

    /** {@code journal}: "embedded" (H2 in the results folder) or "postgresql" (the test server). */
    private ChildJvm orchestrator(String journal, int port, Path results, int trials, int epochs, String logName)
            throws IOException {
        Map<String, String> env = Map.of();
        String store = "embedded";
        if (journal.equals("postgresql")) {
            TestPostgres pg = TestPostgres.require();
            env = pg.orchestratorEnv();
            store = pg.url();
        }
        return ChildJvm.start(tmp.resolve(logName), env, NODE, ChildJvm.FAST_CLUSTER, "orchestrator", "" + port,
                results.toString(), "" + trials, "" + epochs, "2", store, sweepName);
    }

    private ChildJvm worker(int port, String name, long trialMillis) throws IOException {
        return ChildJvm.start(tmp.resolve(name + ".log"), NODE, ChildJvm.FAST_CLUSTER, "worker", "" + port,
                tmp.resolve(name).toString(), "" + trialMillis, "1");
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

    /** Trials with a checkpoint in the artifact store but no final result yet. */
    private static long runningWithCheckpoint(Path results) {
        Path trials = results.resolve("trials");
        if (!Files.isDirectory(trials)) {
            return 0;
        }
        try (Stream<Path> dirs = Files.list(trials)) {
            return dirs.filter(d -> !Files.exists(d.resolve("result.json"))).filter(d -> {
                try (Stream<Path> c = Files.list(d.resolve("checkpoints"))) {
                    return c.anyMatch(f -> f.toString().endsWith(".ckpt"));
                } catch (IOException e) {
                    return false;
                }
            }).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static List<TrialRecord> records(Path results) {
        try {
            return TrialsFile.read(results.resolve(TrialsFile.NAME));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static SimulatedTrialRunner.Artifact artifact(Path results, TrialRecord r) throws IOException {
        return JSON.readValue(results.resolve(r.artifact()).toFile(), SimulatedTrialRunner.Artifact.class);
    }

    private String logs() throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.list(tmp)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                sb.append("\n==== ").append(f.getFileName()).append(" (last 40 lines)\n");
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> sb.append(l).append('\n'));
            }
        }
        return sb.toString();
    }

    @ParameterizedTest(name = "journal {0}")
    @ValueSource(strings = {"embedded", "postgresql"})
    void killedWorkersTrialFinishesOnTheOtherWorkerFromItsCheckpoint(String journal) throws Exception {
        int port = ChildJvm.freePort();
        Path results = tmp.resolve("results");
        // 4 trials x 6 epochs x 0.5 s: long enough to kill a worker mid-trial after a checkpoint.
        try (ChildJvm orch = orchestrator(journal, port, results, 4, 6, "orchestrator.log");
             ChildJvm a = worker(port, "worker-a", 3000);
             ChildJvm b = worker(port, "worker-b", 3000)) {
            await("both running trials to have a stored checkpoint", 60, () -> runningWithCheckpoint(results) >= 2);
            a.kill(); // kill -9 mid-trial
            boolean finished = orch.process.waitFor(90, TimeUnit.SECONDS);
            assertTrue(finished, "orchestrator did not finish the sweep" + logs());
            assertEquals(0, orch.process.exitValue(), logs());
            assertTrue(b.process.isAlive());
        }
        List<TrialRecord> records = records(results);
        assertEquals(4, records.size());
        assertTrue(records.stream().allMatch(r -> r.status().equals(TrialStatus.COMPLETED)), records.toString());
        List<TrialRecord> resumed = records.stream().filter(r -> r.attempts() == 2).toList();
        assertEquals(1, resumed.size(), "exactly the killed worker's trial ran twice: " + records);
        SimulatedTrialRunner.Artifact art = artifact(results, resumed.get(0));
        assertTrue(art.startedAtEpoch() > 1, "the second attempt resumed from a checkpoint, started at epoch "
                + art.startedAtEpoch());
        Path resultJson = results.resolve("trials").resolve(resumed.get(0).spec().trialId()).resolve("result.json");
        assertEquals(6, JSON.readValue(resultJson.toFile(), bitsweep.trial.TrialResult.class).history().size(),
                "the whole history, epochs 1-6, is in result.json");
        for (TrialRecord r : records) {
            if (r.attempts() == 1) {
                assertEquals(1, artifact(results, r).startedAtEpoch());
            }
        }
    }

    @ParameterizedTest(name = "journal {0}")
    @ValueSource(strings = {"embedded", "postgresql"})
    void restartedOrchestratorKeepsCompletedTrialsAndFinishesTheSweep(String journal) throws Exception {
        int port = ChildJvm.freePort();
        Path results = tmp.resolve("results");
        Map<String, byte[]> before = new HashMap<>();
        try (ChildJvm a = worker(port, "worker-a", 1200);
             ChildJvm b = worker(port, "worker-b", 1200)) {
            try (ChildJvm orch = orchestrator(journal, port, results, 6, 4, "orchestrator-1.log")) {
                await("two completed trials in trials.jsonl", 60, () -> records(results).stream()
                        .filter(r -> r.status().equals(TrialStatus.COMPLETED)).count() >= 2);
                orch.kill(); // kill -9 the orchestrator
            }
            for (TrialRecord r : records(results)) {
                if (r.status().equals(TrialStatus.COMPLETED)) {
                    before.put(r.spec().trialId(), Files.readAllBytes(results.resolve(r.artifact())));
                }
            }
            try (ChildJvm orch = orchestrator(journal, port, results, 6, 4, "orchestrator-2.log")) {
                boolean finished = orch.process.waitFor(100, TimeUnit.SECONDS);
                assertTrue(finished, "restarted orchestrator did not finish the sweep" + logs());
                assertEquals(0, orch.process.exitValue(), logs());
            }
        }
        List<TrialRecord> records = records(results);
        assertEquals(6, records.size());
        assertTrue(records.stream().allMatch(r -> r.status().equals(TrialStatus.COMPLETED)), records.toString());
        assertTrue(before.size() >= 2);
        for (TrialRecord r : records) {
            if (before.containsKey(r.spec().trialId())) {
                assertEquals(1, r.attempts(), "completed before the crash, must not run again: " + r.spec().trialId());
                assertArrayEquals(before.get(r.spec().trialId()), Files.readAllBytes(results.resolve(r.artifact())),
                        "artifact of " + r.spec().trialId() + " was rewritten");
            }
        }
    }
}
