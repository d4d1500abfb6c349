package bitsweep.orchestrator.report;

import bitsweep.artifact.LayerBits;
import bitsweep.orchestrator.report.TrialPoint;
import bitsweep.orchestrator.report.TrialRecordsReader;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialSpec;
import bitsweep.sweep.TrialStatus;
import bitsweep.trial.TrialConfig;
import bitsweep.trial.TrialResult;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds trial records the way the supervisor writes them, and trials.jsonl files from them. */
public final class Fixtures {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SWEEP = "mnist-test";

    private Fixtures() {
    }

    static TrialConfig config(String experiment, double mu, long seed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment", experiment);
        m.put("model", "lenet5");
        m.put("data-dir", "data/mnist");
        m.put("gating-lambda", mu);
        m.put("seed", seed);
        return JSON.convertValue(m, TrialConfig.class);
    }

    static TrialSpec spec(String id, String variant, double mu, long seed) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("gating-lambda", mu);
        params.put("seed", seed);
        return new TrialSpec(id, SWEEP, variant, params, config("mnist", mu, seed));
    }

    static List<LayerBits> lenetLayers(int conv1Kept, int w2) {
        return List.of(
                new LayerBits("conv1", 288_000, 8, 4, 8, conv1Kept, 20, conv1Kept / 20.0, 8 * 4 * 288_000.0 * conv1Kept / 20),
                new LayerBits("conv2", 3_200_000, 8, w2, 4, 30, 50, 0.6, 8.0 * w2 * 0.6 * 3_200_000),
                new LayerBits("fc1", 400_000, 4, 2, 4, 200, 500, 0.4, 4 * 2 * 0.4 * 400_000.0),
                new LayerBits("fc2", 5_000, 4, 8, 0, 10, 10, 0.4, 4 * 8 * 0.4 * 5_000.0));
    }

    static TrialRecord completed(String id, String variant, double mu, long seed, double top1, double relBops) {
        TrialSpec spec = spec(id, variant, mu, seed);
        TrialResult result = new TrialResult(id, spec.config(), List.of(), top1, relBops, relBops * 0.0235,
                lenetLayers(12, 4), Map.of("conv1.weight", new double[] {1.0, -2.0}), "model.bbfg", 42.5);
        return new TrialRecord(spec, TrialStatus.COMPLETED, 1, null, result, "trials/" + id + "/model.bbfg");
    }

    static TrialRecord withStatus(String id, String variant, double mu, TrialStatus status, String error) {
        return new TrialRecord(spec(id, variant, mu, 1), status, 3, error, null, null);
    }

    public static Path writeTrials(Path dir, List<TrialRecord> records) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (TrialRecord r : records) {
            lines.append(JSON.writeValueAsString(r)).append('\n');
        }
        Path file = dir.resolve(TrialRecordsReader.FILE_NAME);
        Files.writeString(file, lines);
        return file;
    }

    static List<String> ids(List<TrialPoint> points) {
        return points.stream().map(TrialPoint::trialId).toList();
    }
}
