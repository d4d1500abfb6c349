package bitsweep.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares ONNX Runtime logits with DJL fixed-gate logits. Per example the error is
 * {@code max_k |ort − djl| / max_k |djl|}. Float summation order differs between the runtimes, so
 * an activation value within a few ulps of a rounding tie may land on the neighbouring code; such
 * examples may exceed 1e-4 but must still predict the same class, and must stay rare.
 */
record LogitComparison(double[] relative, int agree, int examples, int distinctPredictions) {
    static final double TOLERANCE = 1e-4;
    private static final Logger LOG = LoggerFactory.getLogger(LogitComparison.class);

    static LogitComparison of(float[][] ort, float[] djl, int classes) {
        double[] rel = new double[ort.length];
        int agree = 0;
        java.util.Set<Integer> classesSeen = new java.util.HashSet<>();
        for (int i = 0; i < ort.length; i++) {
            double diff = 0;
            double scale = 0;
            for (int k = 0; k < classes; k++) {
                diff = Math.max(diff, Math.abs(ort[i][k] - djl[i * classes + k]));
                scale = Math.max(scale, Math.abs(djl[i * classes + k]));
            }
            rel[i] = diff / Math.max(scale, 1e-6);
            int predicted = OnnxValidator.argmax(djl, i * classes, classes);
            classesSeen.add(predicted);
            agree += OnnxValidator.argmax(ort[i], 0, classes) == predicted ? 1 : 0;
        }
        return new LogitComparison(rel, agree, ort.length, classesSeen.size());
    }

    double max() {
        return Arrays.stream(relative).max().orElse(0);
    }

    double median() {
        double[] s = relative.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    long beyondTolerance() {
        return Arrays.stream(relative).filter(r -> r > TOLERANCE).count();
    }

    void assertMatches(String what) {
        LOG.info("{}: relative logit error median {} max {}, {} of {} beyond {}, predictions agree {}/{} ({} distinct classes)", what,
                String.format("%.2e", median()), String.format("%.2e", max()), beyondTolerance(), examples, TOLERANCE,
                agree, examples, distinctPredictions);
        assertEquals(examples, agree, what + ": every prediction must agree");
        // Most examples agree to float precision; a few carry a flipped activation code (one step of a
        // quantizer, see CodeFlipTest), which moves the logits by far less than 10 %.
        assertTrue(median() <= TOLERANCE, what + ": median relative error " + median() + " " + Arrays.toString(relative));
        assertTrue(beyondTolerance() <= examples / 2, what + ": " + beyondTolerance()
                + " examples beyond 1e-4: " + Arrays.toString(relative));
        assertTrue(max() <= 0.1, what + ": relative error " + max() + " is more than a rounding-tie flip");
    }
}
