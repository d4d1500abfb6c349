package bitsweep.app.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.app.Main;
import bitsweep.orchestrator.supervisor.TrialsFile;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import bitsweep.worker.process.DeviceSlot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8: {@code bitsweep run --cpu-workers 2} with the real DJL trainer. DJL's PyTorch engine allows
 * one gradient collector per process, so two workers in one JVM failed every trial but one
 * ("A PtGradientCollector is already collecting"); with one device process per worker both train at
 * the same time and complete.
 */
@Tag("slow") // in `mvn verify`, not the fast `mvn test` loop (docs/testing.md)
class TwoDjlWorkersTest {
    private static final Pattern ASSIGNED = Pattern.compile("(?m)^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*trial (\\S+) attempt 1");

    @TempDir
    Path tmp;

    @Test
    void twoRealDjlWorkersOnOneNodeTrainConcurrentlyInTheirOwnProcessesAndBothComplete() throws Exception {
        Path mnist = Path.of(System.getProperty("bitsweep.repoRoot", "..")).resolve("data/mnist").toAbsolutePath();
        assertTrue(Files.isDirectory(mnist), "real MNIST not in " + mnist + " (run scripts/get-mnist.sh)");
        Path sweepFile = tmp.resolve("two.yaml");
        Files.writeString(sweepFile, """
                name: two-djl-workers
                experiment: mnist
                data-dir: %s
                base:
                  epochs: 1
                  limit-train: 6000
                  limit-test: 500
                method: grid
                parameters:
                  gating-lambda:
                    values: [0.05]
                variants:
                  pruning: {include-pruning: true}
                  no-pruning: {include-pruning: false}
                seeds: [0]
                max-attempts: 1
                """.formatted(mnist));
        Path results = tmp.resolve("results");

        int exit = Main.commandLine().execute("run", sweepFile.toString(), "--results", results.toString(),
                "--cpu-workers", "2", "--worker-heap", "1g", "--status-every", "10s");

        List<TrialRecord> trials = TrialsFile.read(results.resolve(TrialsFile.NAME));
        assertEquals(2, trials.size());
        for (TrialRecord t : trials) {
            assertEquals(TrialStatus.COMPLETED, t.status(), "every trial completes (issue 8: two DJL workers in one "
                    + "JVM fail with 'A PtGradientCollector is already collecting'): " + t);
            assertEquals(1, t.attempts(), t.toString());
        }
        assertEquals(0, exit, "run exits 0: " + trials);
        StringBuilder logs = new StringBuilder();
        Map<String, LocalTime> startedAt = new HashMap<>();
        Map<String, Integer> slotOf = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            Path log = results.resolve("logs/worker-" + i + ".log");
            assertTrue(Files.exists(log), "one log per device process: " + log);
            String text = Files.readString(log);
            logs.append(text);
            int share = DeviceSlot.cpuShare(Runtime.getRuntime().availableProcessors(), 2);
            assertTrue(text.contains("ai.djl.pytorch.num_threads=" + share), "pinned to its share of the cores: " + text);
            Matcher m = ASSIGNED.matcher(text);
            while (m.find()) {
                startedAt.put(m.group(2), LocalTime.parse(m.group(1)));
                slotOf.put(m.group(2), i);
            }
        }
        assertFalse(logs.toString().contains("PtGradientCollector"), "no gradient collector clash");
        String a = trials.get(0).spec().trialId();
        String b = trials.get(1).spec().trialId();
        assertNotEquals(slotOf.get(a), slotOf.get(b), "the trials ran in different device processes: " + slotOf);
        // overlap: each started before the other ended. The trials are long enough (6,000 images) that one device
        // process starting seconds after the other on a loaded machine still overlaps (2,000 did not at load 20) (start from the device process's log, duration from the result)
        long startA = startedAt.get(a).toNanoOfDay() / 1_000_000;
        long startB = startedAt.get(b).toNanoOfDay() / 1_000_000;
        long wallA = Math.round(trials.get(0).result().wallSeconds() * 1000);
        long wallB = Math.round(trials.get(1).result().wallSeconds() * 1000);
        assertTrue(startA < startB + wallB && startB < startA + wallA, "the two trials trained at the same time: "
                + a + " " + startedAt.get(a) + " +" + wallA + " ms, " + b + " " + startedAt.get(b) + " +" + wallB + " ms");
    }
}
