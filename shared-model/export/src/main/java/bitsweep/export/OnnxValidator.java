package bitsweep.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import bitsweep.artifact.FixedGateArtifact;
import bitsweep.data.DatasetInfo;
import bitsweep.data.ImageDataset;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs an exported model in ONNX Runtime on a test set and compares with the DJL fixed-gate model. */
public final class OnnxValidator {
    static final int BATCH = 100;
    private static final Logger LOG = LoggerFactory.getLogger(OnnxValidator.class);

    private OnnxValidator() {
    }

    /** @param limit compare at most this many examples (0 = the whole set) */
    public static ValidationResult validate(Path onnxModel, FixedGateArtifact artifact, ImageDataset testSet,
                                            int limit) {
        return validate(onnxModel, artifact, testSet, limit, BATCH);
    }

    static ValidationResult validate(Path onnxModel, FixedGateArtifact artifact, ImageDataset testSet, int limit,
                                     int batchSize) {
        String provider = null;
        long modelBytes = 0;
        long fp32Bytes = 0;
        try {
            modelBytes = Files.size(onnxModel);
            fp32Bytes = OnnxExporter.build(artifact, OnnxExporter.DEFAULT_OPSET, false).model().getSerializedSize();
            checkShapes(artifact, testSet);
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            ExecutionProviders.Selected<OrtSession> selected = ExecutionProviders.open(env, onnxModel, 0);
            provider = selected.provider();
            try (OrtSession session = selected.session();
                 ArtifactEvaluator djl = new ArtifactEvaluator(artifact)) {
                Comparison c = compare(env, session, djl, testSet, limit, batchSize);
                boolean pass = ValidationResult.passes(c.agreement(), c.ortTop1(), c.djlTop1());
                String message = pass ? null : String.format(
                        "agreement %.4f%% (needs ≥ 99.9%%), top-1 ORT %.2f%% vs DJL %.2f%% (needs |Δ| ≤ 0.1)",
                        100 * c.agreement(), c.ortTop1(), c.djlTop1());
                ValidationResult result = new ValidationResult(artifact.trialId(), onnxModel.toString(), provider,
                        c.examples(), c.ortTop1(), c.djlTop1(), c.agreement(), c.maxAbsDiff(), modelBytes, fp32Bytes,
                        pass ? ValidationResult.PASS : ValidationResult.MISMATCH, message);
                LOG.info("validated {} ({}): {} examples, ORT top-1 {}%, DJL top-1 {}%, agreement {}%, "
                                + "max |Δlogit| {}, {} bytes vs {} fp32 → {}", onnxModel, provider, c.examples(),
                        fmt(c.ortTop1()), fmt(c.djlTop1()), fmt(100 * c.agreement()), c.maxAbsDiff(),
                        modelBytes, fp32Bytes, result.status());
                return result;
            }
        } catch (Exception | UnsatisfiedLinkError e) {
            String message = onnxModel + ": " + e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.error("validation of trial {} failed: {}", artifact.trialId(), message);
            return new ValidationResult(artifact.trialId(), onnxModel.toString(), provider, 0, 0, 0, 0, 0,
                    modelBytes, fp32Bytes, ValidationResult.ERROR, message);
        }
    }

    private record Comparison(int examples, double ortTop1, double djlTop1, double agreement, double maxAbsDiff) {
    }

    private static Comparison compare(OrtEnvironment env, OrtSession session, ArtifactEvaluator djl,
                                      ImageDataset data, int limit, int batchSize) throws OrtException {
        int total = limit > 0 ? Math.min(limit, data.size()) : data.size();
        int classes = djl.artifact().numClasses();
        int perExample = djl.pixelsPerExample();
        int[] in = djl.artifact().inputShape();
        float[] pixels = new float[batchSize * perExample];
        int ortCorrect = 0;
        int djlCorrect = 0;
        int agree = 0;
        double maxDiff = 0;
        long start = System.nanoTime();
        int batches = (total + batchSize - 1) / batchSize;
        for (int b = 0; b < batches; b++) {
            int from = b * batchSize;
            int n = Math.min(batchSize, total - from);
            for (int i = 0; i < n; i++) {
                data.read(from + i, pixels, i * perExample, null);
            }
            float[][] ort;
            try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels, 0, n * perExample),
                    new long[] {n, in[0], in[1], in[2]});
                 OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, x))) {
                OnnxValue out = result.get(OnnxExporter.OUTPUT)
                        .orElseThrow(() -> new IllegalStateException("model has no output '" + OnnxExporter.OUTPUT + "'"));
                ort = (float[][]) out.getValue();
            }
            float[] ref = djl.logits(pixels, n);
            for (int i = 0; i < n; i++) {
                int label = data.label(from + i);
                int po = argmax(ort[i], 0, classes);
                int pd = argmax(ref, i * classes, classes);
                ortCorrect += po == label ? 1 : 0;
                djlCorrect += pd == label ? 1 : 0;
                agree += po == pd ? 1 : 0;
                for (int k = 0; k < classes; k++) {
                    maxDiff = Math.max(maxDiff, Math.abs(ort[i][k] - ref[i * classes + k]));
                }
            }
            if ((b + 1) % Math.max(1, batches / 10) == 0 || b + 1 == batches) {
                double seconds = (System.nanoTime() - start) / 1e9;
                LOG.info("validation batch {}/{} ({} examples, {} s elapsed, ETA {} s)", b + 1, batches, from + n,
                        fmt(seconds), fmt(seconds / (b + 1) * (batches - b - 1)));
            }
        }
        if (total == 0) {
            throw new IllegalArgumentException("the test set is empty");
        }
        return new Comparison(total, 100.0 * ortCorrect / total, 100.0 * djlCorrect / total,
                (double) agree / total, maxDiff);
    }

    private static void checkShapes(FixedGateArtifact artifact, ImageDataset data) {
        DatasetInfo info = data.info();
        int[] s = artifact.inputShape();
        if (info.channels() != s[0] || info.height() != s[1] || info.width() != s[2]) {
            throw new IllegalArgumentException("test set " + info.name() + " yields " + info.channels() + "×"
                    + info.height() + "×" + info.width() + " examples but trial " + artifact.trialId() + " expects "
                    + s[0] + "×" + s[1] + "×" + s[2]);
        }
    }

    static int argmax(float[] v, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[from + i] > v[from + best]) {
                best = i;
            }
        }
        return best;
    }

    private static String fmt(double v) {
        return String.format("%.2f", v);
    }
}
