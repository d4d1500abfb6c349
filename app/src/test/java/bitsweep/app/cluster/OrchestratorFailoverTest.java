package bitsweep.app.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.orchestrator.supervisor.TrialsFile;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import bitsweep.worker.sim.SimulatedTrialRunner;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automatic failover on PostgreSQL, real JVMs on 127.0.0.1: an active orchestrator and a {@code --standby} one
 * (each with a results folder of its own, as on two machines), two worker nodes that know both addresses.
 * The active one is killed (kill -9) mid-sweep and its results folder deleted (its disk is lost); the standby
 * takes the sweep's lock, replays the journal, restores the checkpoints and final models from the database,
 * the workers re-join it, and the sweep completes with no completed trial run again and nobody touching it.
 */
@Tag("slow") // in `mvn verify`, not the fast `mvn test` loop (docs/testing.md)
class OrchestratorFailoverTest {
    private static final Logger log = LoggerFactory.getLogger(OrchestratorFailoverTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NODE = ClusterTestNode.class.getName();
    private static final Pattern FIRST_ASSIGNMENT =
            Pattern.compile("first assignment of this supervisor: .* \\(at (\\d+) ms since the epoch\\)");

    @TempDir
    Path tmp;

    private final String sweepName = "failover-" + Long.toHexString(System.nanoTime());

    private ChildJvm orchestrator(TestPostgres pg, int port, Path results, String logName, boolean standby)
            throws IOException {
        return ChildJvm.start(tmp.resolve(logName), pg.orchestratorEnv(), NODE, ChildJvm.FAST_CLUSTER,
                "orchestrator", "" + port, results.toString(), "6", "6", "2", pg.url(), sweepName,
                standby ? "standby" : "active");
    }

    private ChildJvm worker(String seeds, String name) throws IOException {
        return ChildJvm.start(tmp.resolve(name + ".log"), NODE, ChildJvm.FAST_CLUSTER, "worker", seeds,
                tmp.resolve(name).toString(), "3600", "1");
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

    private static List<TrialRecord> records(Path results) {
        try {
            return TrialsFile.read(results.resolve(TrialsFile.NAME));
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Unfinished trials with a checkpoint that the journal names: the supervisor deletes a trial's previous
     * checkpoint only after the event naming the newer one is journaled, so a checkpoints folder without the
     * epoch-1 file but with a later one has a journaled checkpoint (a file alone may still be on its way).
     */
    private static Set<String> journaledCheckpoint(Path results) {
        Path trials = results.resolve("trials");
        if (!Files.isDirectory(trials)) {
            return Set.of();
        }
        try (Stream<Path> dirs = Files.list(trials)) {
            return dirs.filter(d -> !Files.exists(d.resolve("result.json"))).filter(d -> {
                try (Stream<Path> c = Files.list(d.resolve("checkpoints"))) {
                    List<String> names = c.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".ckpt"))
                            .toList();
                    return !names.isEmpty() && names.stream().noneMatch(n -> n.endsWith("-epoch-0001.ckpt"));
                } catch (IOException e) {
                    return false;
                }
            }).map(d -> d.getFileName().toString()).collect(Collectors.toSet());
        } catch (IOException e) {
            return Set.of();
        }
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

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void killedActiveOrchestratorIsReplacedByTheStandbyAndTheSweepCompletesWithNothingRerun() throws Exception {
        TestPostgres pg = TestPostgres.require();
        int portA = ChildJvm.freePort();
        int portB = ChildJvm.freePort();
        Path resultsA = tmp.resolve("machine-a/results");
        Path resultsB = tmp.resolve("machine-b/results");
        Map<String, byte[]> completedBefore = new HashMap<>();
        Set<String> checkpointed;
        long killedAt;
        try (ChildJvm a = orchestrator(pg, portA, resultsA, "orchestrator-a.log", false)) {
            await("the active orchestrator to start its sweep", 60, () -> Files.exists(resultsA.resolve(TrialsFile.NAME)));
            try (ChildJvm b = orchestrator(pg, portB, resultsB, "orchestrator-b.log", true);
                 ChildJvm w1 = worker(portA + "," + portB, "worker-1");
                 ChildJvm w2 = worker(portA + "," + portB, "worker-2")) {
                await("the standby to wait for the sweep's lock", 60, () -> logContains("orchestrator-b.log",
                        "standby for sweep bitsweep-sweep|" + sweepName + ", waiting for the active orchestrator"));
                await("two completed trials and a running one with a journaled checkpoint", 90, () -> records(resultsA)
                        .stream().filter(r -> r.status().equals(TrialStatus.COMPLETED)).count() >= 2
                        && !journaledCheckpoint(resultsA).isEmpty());
                a.kill(); // kill -9: its database sessions end, PostgreSQL releases the sweep's lock
                killedAt = System.currentTimeMillis();
                checkpointed = journaledCheckpoint(resultsA);
                for (TrialRecord r : records(resultsA)) {
                    if (r.status().equals(TrialStatus.COMPLETED)) {
                        completedBefore.put(r.spec().trialId(), Files.readAllBytes(resultsA.resolve(r.artifact())));
                    }
                }
                deleteTree(resultsA); // and its disk is lost
                assertTrue(b.process.waitFor(90, TimeUnit.SECONDS), "the standby did not finish the sweep" + logs());
                assertEquals(0, b.process.exitValue(), logs());
                assertTrue(w1.process.isAlive() && w2.process.isAlive(), "workers were not restarted by hand");
            }
        }
        String standbyLog = Files.readString(tmp.resolve("orchestrator-b.log"));
        Matcher m = FIRST_ASSIGNMENT.matcher(standbyLog);
        assertTrue(m.find(), "the standby logged its first assignment: " + standbyLog);
        long failover = Long.parseLong(m.group(1)) - killedAt;
        log.info("failover: {} ms from kill -9 of the active orchestrator to the standby's first assignment",
                failover);
        assertTrue(failover > 0, "the standby assigned nothing before the active one was killed");

        List<TrialRecord> records = records(resultsB);
        assertEquals(6, records.size(), records.toString());
        assertTrue(records.stream().allMatch(r -> r.status().equals(TrialStatus.COMPLETED)), records.toString());
        assertTrue(completedBefore.size() >= 2, completedBefore.keySet().toString());
        for (TrialRecord r : records) {
            String id = r.spec().trialId();
            if (completedBefore.containsKey(id)) {
                assertEquals(1, r.attempts(), "completed before the kill, must not run again: " + id);
                assertArrayEquals(completedBefore.get(id), Files.readAllBytes(resultsB.resolve(r.artifact())),
                        "the final model of " + id + " came back from the database unchanged");
                assertFalse(standbyLog.contains("trial " + id + " attempt 2"), id + " ran again");
            }
        }
        assertFalse(checkpointed.isEmpty());
        for (String id : checkpointed) {
            TrialRecord r = records.stream().filter(x -> x.spec().trialId().equals(id)).findFirst().orElseThrow();
            SimulatedTrialRunner.Artifact art = JSON.readValue(resultsB.resolve(r.artifact()).toFile(),
                    SimulatedTrialRunner.Artifact.class);
            assertTrue(art.startedAtEpoch() > 1, id + " was running at the kill with a journaled checkpoint; it "
                    + "resumes from the copy in the database, not from epoch "
                    + art.startedAtEpoch() + logs());
        }
        assertTrue(standbyLog.contains("restored "), "the standby restored files from the database: " + standbyLog);
    }

    @Test
    void bitsweepOrchestratorWithStandbyWaitsInsteadOfBeingRefusedAndTakesOverWhenTheActiveOneIsKilled()
            throws Exception {
        TestPostgres pg = TestPostgres.require();
        Path resultsA = tmp.resolve("machine-a/results");
        Path sweepFile = SmallSweepFile.write(tmp, sweepName, 0.1, 0.2);
        try (ChildJvm a = orchestrator(pg, ChildJvm.freePort(), resultsA, "orchestrator-a.log", false)) {
            await("the active orchestrator to start its sweep", 60, () -> Files.exists(resultsA.resolve(TrialsFile.NAME)));
            // the real command line, as on a second machine
            try (ChildJvm b = ChildJvm.start(tmp.resolve("standby.log"), pg.orchestratorEnv(),
                    bitsweep.app.Main.class.getName(), ChildJvm.FAST_CLUSTER, "orchestrator", sweepFile.toString(),
                    "--standby", "--bind", "127.0.0.1:" + ChildJvm.freePort(), "--journal", pg.url(), "--results",
                    tmp.resolve("machine-b/results").toString())) {
                await("the standby to wait", 60, () -> logContains("standby.log", "standby for sweep bitsweep-sweep|"
                        + sweepName + ", waiting for the active orchestrator (bitsweep pid " + a.process.pid()));
                assertTrue(b.process.isAlive(), "a standby is not refused: " + Files.readString(b.log));
                a.kill();
                await("the standby to take over", 60, () -> logContains("standby.log", "sweep " + sweepName
                        + " resumed from its journal"));
                assertTrue(logContains("standby.log", "this orchestrator is now the active one"));
            }
        }
    }

    private boolean logContains(String name, String text) {
        try {
            return Files.readString(tmp.resolve(name)).contains(text);
        } catch (IOException e) {
            return false;
        }
    }
}
