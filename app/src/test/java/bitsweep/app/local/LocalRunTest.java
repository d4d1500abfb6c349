package bitsweep.app.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.orchestrator.journal.JournalStore;
import bitsweep.orchestrator.node.OrchestratorNode;
import bitsweep.orchestrator.report.SweepCompletion;
import bitsweep.orchestrator.report.SweepCompletionHook;
import bitsweep.orchestrator.supervisor.TrialsFile;
import bitsweep.sweep.Sweep;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialSpec;
import bitsweep.sweep.TrialStatus;
import bitsweep.trial.TrialConfig;
import bitsweep.worker.sim.SimulatedTrialRunner;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local mode (what {@code bitsweep run} does): both roles in one JVM, resume and --fresh. */
@Tag("slow") // in `mvn verify`, not the fast `mvn test` loop (docs/testing.md)
class LocalRunTest {
    @TempDir
    Path tmp;

    private static Sweep sweep(int trials) throws Exception {
        TrialConfig c = new ObjectMapper().readValue("{\"experiment\":\"mnist\",\"epochs\":2}", TrialConfig.class);
        List<TrialSpec> specs = new ArrayList<>();
        for (int i = 0; i < trials; i++) {
            specs.add(new TrialSpec("local-" + i, "local", "pruning", Map.of("i", i), c));
        }
        return new Sweep("local", Path.of("local.yaml"), "mnist", specs, 3, 0);
    }

    private static SweepCompletion run(Sweep sweep, Path results, boolean fresh) throws Exception {
        SimulatedTrialRunner.Settings sim = SimulatedTrialRunner.Settings.durations(100, 200);
        return LocalRun.run(sweep, results, fresh, List.of("cpu()", "cpu()"), d -> new SimulatedTrialRunner(sim),
                Duration.ofSeconds(1), SweepCompletionHook.LOG);
    }

    @Test
    void runCompletesEveryTrialAndRerunResumesWithoutRepeatingThemButFreshStartsOver() throws Exception {
        Path results = tmp.resolve("results");
        SweepCompletion first = run(sweep(4), results, false);
        assertEquals(4, first.count(TrialStatus.COMPLETED));
        assertTrue(Files.exists(results.resolve("logs/run.log")));
        byte[] artifactBefore = Files.readAllBytes(results.resolve("trials/local-0/artifact.json"));

        SweepCompletion resumed = run(sweep(5), results, false); // one trial added to the sweep
        assertEquals(5, resumed.count(TrialStatus.COMPLETED));
        List<TrialRecord> lines = TrialsFile.read(results.resolve(TrialsFile.NAME));
        assertEquals(5, lines.size());
        assertTrue(lines.stream().allMatch(r -> r.attempts() == 1), "nothing ran twice: " + lines);
        assertEquals(new String(artifactBefore), Files.readString(results.resolve("trials/local-0/artifact.json")));

        run(sweep(4), results, true);
        assertEquals(4, TrialsFile.read(results.resolve(TrialsFile.NAME)).size());
        assertNotEquals(-1, Files.readString(results.resolve("trials/local-0/artifact.json")).indexOf("local-0"));
    }

    @Test
    void freshRefusesToDeleteAFolderThatIsNotAResultsFolder() throws IOException {
        Path precious = Files.createDirectories(tmp.resolve("thesis"));
        Files.writeString(precious.resolve("chapter1.tex"), "...");
        IOException e = assertThrows(IOException.class, () -> OrchestratorNode.prepareResults(precious, true,
                new JournalStore.Embedded(precious), "thesis"));
        assertTrue(e.getMessage().contains("does not look like a BitSweep results folder"), e.getMessage());
        assertTrue(Files.exists(precious.resolve("chapter1.tex")));
    }
}
