package bitsweep.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.app.Main;
import bitsweep.orchestrator.supervisor.TrialsFile;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One orchestrator per results folder (embedded journal) and per sweep (PostgreSQL): a second {@code bitsweep
 * orchestrator} — a real process, as a user would start it — is refused at start with exit code 2 and an error
 * naming the folder or sweep and the holder's pid, deletes nothing (also with {@code --fresh}), and the first
 * finishes its sweep.
 */
@Tag("slow") // in `mvn verify`, not the fast `mvn test` loop (docs/testing.md)
class OneOrchestratorPerSweepTest {
    private static final String NODE = ClusterTestNode.class.getName();

    @TempDir
    Path tmp;

    private final String sweepName = "held-" + Long.toHexString(System.nanoTime());

    /** The first orchestrator: 2 trials, waiting for a worker (none yet), so it holds its locks meanwhile. */
    private ChildJvm first(int port, Path results, String store, Map<String, String> env) throws IOException {
        return ChildJvm.start(tmp.resolve("first.log"), env, NODE, ChildJvm.FAST_CLUSTER, "orchestrator", "" + port,
                results.toString(), "2", "2", "1", store, sweepName);
    }

    /** {@code bitsweep orchestrator SWEEP.yaml --bind … ARGS}, run to its end; returns its exit code. */
    private int second(Map<String, String> env, String... args) throws Exception {
        Path sweep = SmallSweepFile.write(tmp, sweepName, 0.1, 0.2);
        List<String> all = new ArrayList<>(List.of("orchestrator", sweep.toString(), "--bind",
                "127.0.0.1:" + ChildJvm.freePort()));
        all.addAll(List.of(args));
        try (ChildJvm p = ChildJvm.start(tmp.resolve("second.log"), env, Main.class.getName(), List.of(),
                all.toArray(String[]::new))) {
            assertTrue(p.process.waitFor(90, TimeUnit.SECONDS), "the second orchestrator did not end");
            return p.process.exitValue();
        }
    }

    private String secondLog() throws IOException {
        return Files.readString(tmp.resolve("second.log"));
    }

    private static void awaitSweepStarted(Path results, ChildJvm first) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(results.resolve(TrialsFile.NAME))) {
            assertTrue(first.process.isAlive(), "the first orchestrator ended: " + Files.readString(first.log));
            assertTrue(System.nanoTime() < deadline, "the first orchestrator did not start its sweep");
            Thread.sleep(100);
        }
    }

    /** The first orchestrator is still running: a worker joins and it completes its sweep. */
    private void firstFinishes(ChildJvm first, int port, Path results) throws Exception {
        assertTrue(first.process.isAlive(), "the first orchestrator must keep running");
        try (ChildJvm worker = ChildJvm.start(tmp.resolve("worker.log"), NODE, ChildJvm.FAST_CLUSTER, "worker",
                "" + port, tmp.resolve("worker").toString(), "400", "1")) {
            assertTrue(first.process.waitFor(90, TimeUnit.SECONDS), "the first orchestrator did not finish");
            assertEquals(0, first.process.exitValue(), Files.readString(first.log));
        }
        List<TrialRecord> records = TrialsFile.read(results.resolve(TrialsFile.NAME));
        assertEquals(2, records.size());
        assertTrue(records.stream().allMatch(r -> r.status().equals(TrialStatus.COMPLETED) && r.attempts() == 1),
                records.toString());
    }

    private static Set<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.map(dir::relativize).collect(Collectors.toSet());
        }
    }

    @Test
    void secondOrchestratorOnTheSameResultsFolderIsRefusedWithExitCode2AndTheFirstKeepsRunning() throws Exception {
        int port = ChildJvm.freePort();
        Path results = tmp.resolve("results");
        try (ChildJvm first = first(port, results, "embedded", Map.of())) {
            awaitSweepStarted(results, first);
            assertEquals(2, second(Map.of(), "--results", results.toString()), secondLog());
            String log = secondLog();
            assertTrue(log.contains("results folder " + results + " is in use by another orchestrator"), log);
            assertTrue(log.contains("pid " + first.process.pid()), "names the holder: " + log);
            firstFinishes(first, port, results);
        }
    }

    @Test
    void freshOnAFolderAnotherOrchestratorHoldsIsRefusedAndDeletesNothing() throws Exception {
        int port = ChildJvm.freePort();
        Path results = tmp.resolve("results");
        try (ChildJvm first = first(port, results, "embedded", Map.of())) {
            awaitSweepStarted(results, first);
            Set<Path> before = files(results);
            assertTrue(before.contains(Path.of("journal", "bitsweep.mv.db")), before.toString());
            assertEquals(2, second(Map.of(), "--results", results.toString(), "--fresh"), secondLog());
            assertTrue(secondLog().contains("is in use by another orchestrator"), secondLog());
            Set<Path> after = files(results);
            assertTrue(after.containsAll(before), "deleted: " + before.stream().filter(p -> !after.contains(p)).toList());
            firstFinishes(first, port, results);
        }
    }

    @Test
    void secondOrchestratorOfTheSameSweepOnPostgresqlIsRefusedWithExitCode2AndTheFirstKeepsRunning()
            throws Exception {
        TestPostgres pg = TestPostgres.require();
        int port = ChildJvm.freePort();
        Path results = tmp.resolve("results");
        try (ChildJvm first = first(port, results, pg.url(), pg.orchestratorEnv())) {
            awaitSweepStarted(results, first);
            // another machine's results folder, the same sweep in the same database
            assertEquals(2, second(pg.orchestratorEnv(), "--results", tmp.resolve("elsewhere").toString(),
                    "--journal", pg.url()), secondLog());
            String log = secondLog();
            assertTrue(log.contains("sweep bitsweep-sweep|" + sweepName + " in PostgreSQL"), log);
            assertTrue(log.contains("is in use by another orchestrator (bitsweep pid " + first.process.pid()),
                    "names the holder: " + log);
            firstFinishes(first, port, results);
        }
    }
}
