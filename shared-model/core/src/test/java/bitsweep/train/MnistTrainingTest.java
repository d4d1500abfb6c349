package bitsweep.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.artifact.ArtifactIO;
import bitsweep.artifact.FixedGateArtifact;
import bitsweep.trial.CancellationToken;
import bitsweep.trial.TrialConfig;
import bitsweep.trial.TrialListener;
import bitsweep.trial.TrialResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real runner on real MNIST: a short Bayesian Bits LeNet-5 run with the README flags. */
@Tag("slow") // in `mvn verify`, not the fast `mvn test` loop (docs/testing.md)
class MnistTrainingTest {

    static Path mnist() {
        return Path.of(System.getProperty("bitsweep.repoRoot", ".")).resolve("data/mnist");
    }

    @Test
    void shortReadmeRunOnAWorkerThreadLearnsMovesGatesAndWritesResultAndArtifact(@TempDir Path dir) throws Exception {
        assertTrue(Files.exists(mnist().resolve("train-images-idx3-ubyte"))
                || Files.exists(mnist().resolve("train-images-idx3-ubyte.gz")), "real MNIST not in " + mnist() + " (run scripts/get-mnist.sh; the README test command does)");
        TrialConfig cfg = new ObjectMapper().convertValue(Map.of("experiment", "mnist", "data-dir", mnist().toString(),
                "epochs", 1, "limit-train", 128 * 80, "limit-test", 1000, "seed", 3L), TrialConfig.class);
        // on a fresh thread, as a worker runs it, with the engine loaded elsewhere first: PyTorch's grad
        // mode is thread-local and starts on in every thread but the one that loaded the engine
        ai.djl.engine.Engine.getEngine("PyTorch");
        ExecutorService trainingThread = Executors.newSingleThreadExecutor();
        TrialResult r;
        try {
            r = trainingThread.submit(() -> new DjlTrialRunner().run(
                    new TrialRequest("mnist-short", cfg, dir, null, "cpu()"), TrialListener.NONE,
                    CancellationToken.none())).get();
        } finally {
            trainingThread.shutdown();
        }

        assertTrue(r.top1() > 80.0, "top-1 after 80 batches: " + r.top1());
        // README init: relative BOPs start (and after one short epoch stay) at 8-bit = 6.25 %
        assertEquals(6.25, r.relativeBops(), 1e-6);
        double[] conv1Weight = r.gateLogits().entrySet().stream()
                .filter(e -> e.getKey().contains("conv1_wq") && !e.getKey().endsWith(".prune_mean"))
                .findFirst().orElseThrow().getValue();
        assertTrue(Math.abs(conv1Weight[0] - 6.0) > 1e-3, "log α_4 of conv1 weights did not move: " + conv1Weight[0]);
        assertTrue(r.gateLogits().values().stream().allMatch(v -> v[0] < 6.0),
                "the regulariser pushes every first gate logit down");

        JsonNode json = new ObjectMapper().readTree(dir.resolve(TrialResult.FILE_NAME).toFile());
        assertEquals("mnist-short", json.get("trialId").asText());
        assertEquals(1, json.get("history").size());
        FixedGateArtifact artifact = ArtifactIO.read(dir.resolve(r.artifact()));
        assertEquals("lenet5", artifact.architecture());
        assertTrue(Files.exists(dir.resolve("checkpoint.ckpt")));
    }
}
