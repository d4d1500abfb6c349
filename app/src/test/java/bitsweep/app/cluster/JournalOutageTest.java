package bitsweep.app.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.orchestrator.supervisor.TrialsFile;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's database goes away for 30 s in the middle of a sweep (PostgreSQL stopped, simulated trainers
 * keep running): the supervisor's writes fail, it restarts with backoff until the database is back, replays,
 * and the sweep completes with nothing lost and no completed trial run again; the sweep's advisory lock, which
 * died with its database session, is taken again.
 */
@Tag("slow") // in `mvn verify`, not the fast `mvn test` loop (docs/testing.md)
class JournalOutageTest {
    private static final Logger log = LoggerFactory.getLogger(JournalOutageTest.class);
    private static final String NODE = ClusterTestNode.class.getName();

    @TempDir
    Path tmp;

    private static List<TrialRecord> records(Path results) {
        try {
            return TrialsFile.read(results.resolve(TrialsFile.NAME));
        } catch (IOException e) {
            return List.of();
        }
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

    /** An advisory lock held by a session of the orchestrator process {@code pid} (its application_name). */
    private static boolean holdsAdvisoryLock(TestPostgres pg, long pid) {
        String url = "jdbc:" + pg.url();
        try (Connection c = DriverManager.getConnection(url, pg.user(), pg.password());
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a "
                     + "ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND a.application_name LIKE ?")) {
            s.setString(1, "bitsweep pid " + pid + " %");
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1) > 0;
            }
        } catch (SQLException e) {
            return false; // still starting
        }
    }

    @Test
    void postgresqlStoppedFor30SecondsMidSweepLosesNothingAndRerunsNoCompletedTrial() throws Exception {
        TestPostgres pg = TestPostgres.require();
        int port = ChildJvm.freePort();
        Path results = tmp.resolve("results");
        String sweep = "outage-" + Long.toHexString(System.nanoTime());
        Map<String, byte[]> completedBefore = new HashMap<>();
        Set<String> runningAtStop;
        boolean stopped = false;
        // 10 trials x 3 epochs, 3 s each on 2 workers: about 15 s of work, with the outage in the middle
        try (ChildJvm orch = ChildJvm.start(tmp.resolve("orchestrator.log"), pg.orchestratorEnv(), NODE,
                ChildJvm.FAST_CLUSTER, "orchestrator", "" + port, results.toString(), "10", "3", "2", pg.url(), sweep);
             ChildJvm a = ChildJvm.start(tmp.resolve("worker-a.log"), NODE, ChildJvm.FAST_CLUSTER, "worker", "" + port,
                     tmp.resolve("worker-a").toString(), "3000", "1");
             ChildJvm b = ChildJvm.start(tmp.resolve("worker-b.log"), NODE, ChildJvm.FAST_CLUSTER, "worker", "" + port,
                     tmp.resolve("worker-b").toString(), "3000", "1")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (records(results).stream().filter(r -> r.status().equals(TrialStatus.COMPLETED)).count() < 2) {
                assertTrue(System.nanoTime() < deadline, "no two completed trials before the outage" + logs());
                Thread.sleep(100);
            }
            List<TrialRecord> atStop = records(results);
            for (TrialRecord r : atStop) {
                if (r.status().equals(TrialStatus.COMPLETED)) {
                    completedBefore.put(r.spec().trialId(), Files.readAllBytes(results.resolve(r.artifact())));
                }
            }
            runningAtStop = atStop.stream().filter(r -> r.status().equals(TrialStatus.RUNNING))
                    .map(r -> r.spec().trialId()).collect(Collectors.toSet());
            try {
                pg.stop();
                stopped = true;
                log.info("PostgreSQL stopped; completed {}, running {}", completedBefore.keySet(), runningAtStop);
                Thread.sleep(30_000);
                assertTrue(orch.process.isAlive(), "the orchestrator must survive the outage" + logs());
            } finally {
                if (stopped) {
                    pg.start();
                    log.info("PostgreSQL started again");
                }
            }
            // the sweep's lock died with its database session: the orchestrator must hold it again
            long lockDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!holdsAdvisoryLock(pg, orch.process.pid())) {
                assertTrue(orch.process.isAlive() && System.nanoTime() < lockDeadline,
                        "the orchestrator did not take its sweep's lock again after the restart" + logs());
                Thread.sleep(200);
            }
            assertTrue(orch.process.waitFor(180, TimeUnit.SECONDS), "the sweep did not complete" + logs());
            assertEquals(0, orch.process.exitValue(), logs());
        }
        // what the orchestrator went through, for the test report
        try (Stream<String> lines = Files.lines(tmp.resolve("orchestrator.log"))) {
            lines.filter(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.contains("resumed")
                            || l.contains("PostgresLock"))
                    .map(l -> l.length() > 300 ? l.substring(0, 300) + "…" : l).limit(40)
                    .forEach(l -> log.info("orchestrator: {}", l));
        }
        List<TrialRecord> records = records(results);
        log.info("after the outage: {}", records.stream().map(r -> r.spec().trialId() + " " + r.status() + " attempts "
                + r.attempts()).toList());
        assertEquals(10, records.size());
        assertTrue(records.stream().allMatch(r -> r.status().equals(TrialStatus.COMPLETED)), records.toString());
        for (TrialRecord r : records) {
            String id = r.spec().trialId();
            if (completedBefore.containsKey(id)) {
                assertEquals(1, r.attempts(), "completed before the outage, must not run again: " + id);
                assertArrayEquals(completedBefore.get(id), Files.readAllBytes(results.resolve(r.artifact())),
                        "artifact of " + id + " was rewritten");
            } else if (!runningAtStop.contains(id)) {
                assertEquals(1, r.attempts(), "not running at the outage, must have run exactly once: " + id
                        + logs());
            }
        }
    }
}
