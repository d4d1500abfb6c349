package bitsweep.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.app.cli.Cli;
import bitsweep.orchestrator.journal.JournalStore;
import bitsweep.orchestrator.supervisor.TrialsFile;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small run of the scheduler benchmark (a few hundred trials on 50 simulated workers, then the replay of
 * its journal in a fresh JVM), so the benchmark and its measurements keep working. No speed is asserted:
 * the figures depend on the machine.
 */
@Tag("slow") // in `mvn verify`, not the fast `mvn test` loop (docs/testing.md)
class BenchSchedulerCommandTest {
    @TempDir
    Path dir;

    private BenchSchedulerCommand.Result run(java.util.Map<String, String> env, String... extra) throws Exception {
        Path json = dir.resolve("bench.json");
        List<String> args = new ArrayList<>(List.of("--trials", "300", "--workers", "50", "--worker-jvms", "1",
                "--min-ms", "10", "--max-ms", "60", "--work-dir", dir.toString(), "--json", json.toString()));
        args.addAll(List.of(extra));
        BenchSchedulerCommand command = new BenchSchedulerCommand();
        command.env = env;
        assertEquals(0, Cli.commandLine(command).execute(args.toArray(String[]::new)));
        return new ObjectMapper().enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS.mappedFeature())
                .readValue(json.toFile(), BenchSchedulerCommand.Result.class);
    }

    private void assertRanAndReplayed(BenchSchedulerCommand.Result r) throws Exception {
        assertEquals(300, r.completed());
        assertEquals(50, r.workers());
        assertTrue(r.efficiency() > 0 && r.efficiency() <= 1.0001, "efficiency " + r.efficiency());
        assertTrue(r.cpuMsPerTrial() > 0, "supervisor CPU per trial " + r.cpuMsPerTrial());
        assertTrue(r.heapMiB() > 0);
        // every trial left at least its queued, assigned and completed events in the journal
        assertTrue(r.journalEvents() >= 900, r.journalEvents() + " events");
        assertTrue(r.journalBytesPerTrial() > 0);
        BenchSchedulerCommand.Replay replay = r.replay();
        assertNotNull(replay, "the finished sweep was replayed in a fresh JVM");
        assertTrue(replay.supervisorStartSeconds() <= replay.recoveredSeconds()
                && replay.recoveredSeconds() <= replay.nextTrialAssignedSeconds(), replay.toString());
        // the replaying supervisor found the 300 trials done and ran the one it was given on top
        List<TrialRecord> records = TrialsFile.read(dir.resolve("results").resolve(TrialsFile.NAME));
        assertEquals(301, records.size());
        assertTrue(records.stream().allMatch(t -> t.status().equals(TrialStatus.COMPLETED)));
        assertEquals("bench-000300", records.get(300).spec().trialId());
    }

    @Test
    void aSmallScaleRunCompletesEveryTrialAndItsJournalReplaysInAFreshJvm() throws Exception {
        assertRanAndReplayed(run(System.getenv()));
    }

    @Test
    void theSameOnAPostgresqlJournal() throws Exception {
        String url = System.getenv("BITSWEEP_TEST_PG_URL");
        if (url == null || url.isBlank()) {
            String why = "no PostgreSQL for the tests: BITSWEEP_TEST_PG_URL is not set (run: eval \"$(sudo "
                    + "./scripts/postgres.sh)\")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(why + "; CI must run every PostgreSQL test");
            }
            Assumptions.abort(why);
        }
        // the benchmark (and its replay JVM) read the database's user and password from their environment
        BenchSchedulerCommand.Result r = run(java.util.Map.of(JournalStore.USER_VARIABLE,
                System.getenv("BITSWEEP_TEST_PG_USER"), JournalStore.PASSWORD_VARIABLE,
                System.getenv("BITSWEEP_TEST_PG_PASSWORD")), "--journal", url);
        assertEquals("postgresql", r.journal());
        assertRanAndReplayed(r);
    }
}
