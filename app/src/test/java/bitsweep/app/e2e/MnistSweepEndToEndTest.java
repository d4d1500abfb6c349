package bitsweep.app.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.app.local.LocalRun;
import bitsweep.orchestrator.report.SweepCompletion;
import bitsweep.orchestrator.report.SweepCompletionHook;
import bitsweep.sweep.Sweep;
import bitsweep.sweep.SweepParser;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import bitsweep.worker.TrialRunnerFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product on real MNIST, as {@code bitsweep run} does it: a sweep file → the supervisor and a
 * CPU worker in one JVM → the real trainer → the completion hook found through META-INF/services →
 * frontier files, ONNX models validated in ONNX Runtime on the full test set, and the report.
 */
@Tag("slow") // in `mvn verify`, not the fast `mvn test` loop (docs/testing.md)
class MnistSweepEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void smallRealMnistSweepEndsWithFrontierFilesAndOnnxModelsThatAllPassValidation() throws Exception {
        Path mnist = Path.of(System.getProperty("bitsweep.repoRoot", "..")).resolve("data/mnist").toAbsolutePath();
        assertTrue(Files.isDirectory(mnist), "real MNIST not in " + mnist
                + " (run scripts/get-mnist.sh; the README test command does)");
        Path sweepFile = tmp.resolve("e2e.yaml");
        Files.writeString(sweepFile, """
                name: e2e
                experiment: mnist
                data-dir: ${MNIST}
                base:
                  epochs: 1
                  limit-train: 2560
                  gamma-4-init: 1
                  gamma-8-init: 1
                  gamma-16-init: -6
                  gamma-32-init: -6
                  learning-rate-q: 0.05
                method: grid
                parameters:
                  gating-lambda:
                    values: [0.5]
                variants:
                  pruning: {include-pruning: true}
                  no-pruning: {include-pruning: false}
                seeds: [0]
                """);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("MNIST", mnist.toString());
        Sweep sweep = SweepParser.parse(sweepFile, env);
        Path results = tmp.resolve("results");

        SweepCompletion done = LocalRun.run(sweep, results, false, List.of("cpu()"),
                TrialRunnerFactory.byClassName(TrialRunnerFactory.DJL_RUNNER), Duration.ofSeconds(30),
                SweepCompletionHook.discovered());

        assertEquals(2, done.count(TrialStatus.COMPLETED), "every trial completes: " + done.trials());
        JsonNode frontier = JSON.readTree(results.resolve("frontier.json").toFile());
        assertTrue(Files.size(results.resolve("frontier.csv")) > 0);
        JsonNode validation = JSON.readTree(results.resolve("validation.json").toFile());
        // one variant each, so both trials are on their variant's frontier and both get exported
        assertEquals(2, validation.get("models").asInt(), validation.toPrettyString());
        assertEquals(2, validation.get("pass").asInt(), validation.toPrettyString());
        for (JsonNode v : validation.get("results")) {
            assertEquals(10_000, v.get("examples").asInt(), "validated on the full test set");
            Path onnx = results.resolve(v.get("model").asText());
            assertTrue(Files.size(onnx) > 0, onnx.toString());
            assertTrue(v.get("modelBytes").asLong() < v.get("fp32ModelBytes").asLong(),
                    "the quantized model is smaller than its FP32 export: " + v);
            TrialRecord trial = done.trials().stream()
                    .filter(t -> t.spec().trialId().equals(v.get("trialId").asText())).findFirst().orElseThrow();
            // the trainer's deterministic-gate accuracy and the artifact's DJL accuracy are one function
            assertEquals(trial.result().top1(), v.get("djlTop1").asDouble(), 0.01,
                    "trainer top-1 vs fixed-gate artifact top-1 of " + trial.spec().trialId());
        }
        assertTrue(frontier.toString().contains("pruning"), frontier.toPrettyString());
        for (String file : List.of("frontier.png", "frontier.svg", "report.html")) {
            assertTrue(Files.size(results.resolve(file)) > 0, file);
        }
    }
}
