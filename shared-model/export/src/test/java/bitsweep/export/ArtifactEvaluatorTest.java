package bitsweep.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import bitsweep.artifact.ArtifactNode.Activation;
import bitsweep.artifact.ArtifactNode.QuantLayer;
import bitsweep.artifact.ArtifactNode;
import bitsweep.artifact.FixedGateArtifact;
import bitsweep.artifact.QuantSpec;
import bitsweep.artifact.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArtifactEvaluatorTest {

    @Test
    void quantizerRoundsHalfToEvenOnTheClippedGrid() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            // unsigned 2-bit, xMax 3 → s = 1, h = 2.9999998
            float[] u = ArtifactEvaluator.quantize(m.create(new float[] {-1f, 0.5f, 1.5f, 2.5f, 3.7f}),
                    new QuantSpec(2, 3f, false)).toFloatArray();
            assertArrayEquals(new float[] {0f, 0f, 2f, 2f, 3f}, u);
            // signed 4-bit, xMax 7.5 → s = 1, codes −7 … 7
            float[] s = ArtifactEvaluator.quantize(m.create(new float[] {-9f, -2.5f, -0.5f, 6.5f, 7.4999f}),
                    new QuantSpec(4, 7.5f, true)).toFloatArray();
            assertArrayEquals(new float[] {-7f, -2f, 0f, 6f, 7f}, s, 0f);
            // 32 bits: clamp only
            float[] f = ArtifactEvaluator.quantize(m.create(new float[] {-1f, 0.123456f, 5f}),
                    new QuantSpec(32, 2f, false)).toFloatArray();
            assertArrayEquals(new float[] {0f, 0.123456f, 2f * QuantSpec.SHRINK}, f);
        }
    }

    @Test
    void djlQuantizedWeightsEqualExportedCodesTimesScale() {
        for (FixedGateArtifact a : List.of(ArtifactFixtures.lenet5(1), ArtifactFixtures.lenet5(2))) {
            try (ArtifactEvaluator eval = new ArtifactEvaluator(a)) {
                for (ArtifactNode node : a.nodes()) {
                    if (node instanceof QuantLayer l) {
                        assertArrayEquals(QuantizedWeights.of(a, l).values(), eval.weightValues(l.name()), 0f,
                                l.name() + " at " + l.weightQuant().bits() + " bits");
                    }
                }
            }
        }
    }

    @Test
    void batchesLeaveNoArraysBehind() {
        FixedGateArtifact a = ArtifactFixtures.lenet5(3);
        try (ArtifactEvaluator eval = new ArtifactEvaluator(a)) {
            float[] pixels = ArtifactFixtures.randomImages(new java.util.Random(1), 16, a.inputShape());
            eval.logits(pixels, 16);
            int after1 = eval.liveArrays();
            for (int i = 0; i < 20; i++) {
                eval.logits(pixels, 16);
                eval.nodeMaxima(pixels, 4);
            }
            assertEquals(after1, eval.liveArrays(), "per-batch arrays must be freed with their sub-manager");
        }
    }

    /** Two linear layers with a pruned unit, checked against the artifact semantics written out by hand. */
    @Test
    void tinyNetworkMatchesHandComputedForward() {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("w1", new Tensor(new long[] {3, 2}, new float[] {1f, -1f, 0.5f, 0.5f, 2f, 2f}));
        t.put("b1", new Tensor(new long[] {3}, new float[] {0.1f, 0.2f, 0.7f}));
        t.put("w2", new Tensor(new long[] {2, 3}, new float[] {1f, 1f, 1f, -1f, 0.5f, 2f}));
        t.put("b2", new Tensor(new long[] {2}, new float[] {0f, 1f}));
        QuantSpec act = new QuantSpec(2, 1.5f, false); // s = 0.5, codes 0 … 3
        FixedGateArtifact a = new FixedGateArtifact(1, "tiny", "test", "test", new int[] {2, 1, 1}, 2, List.of(
                new ArtifactNode.Flatten("flat", FixedGateArtifact.INPUT),
                new QuantLayer("fc1", "flat", QuantLayer.Kind.LINEAR, 2, 3, null, null, null, "w1", "b1", null,
                        new boolean[] {true, true, false}, Activation.RELU, act),
                new QuantLayer("fc2", "fc1", QuantLayer.Kind.LINEAR, 3, 2, null, null, null, "w2", "b2", null, null,
                        Activation.NONE, null)), 0, 0, null, List.of(), t);
        float x0 = 0.9f;
        float x1 = 0.2f;
        // fc1: unit 0 = relu(0.9 − 0.2 + 0.1) = 0.8 → 1.0 (code 2); unit 1 = relu(0.45 + 0.1 + 0.2) = 0.75 → 1.0
        // (code 1.5 rounds to 2); unit 2 pruned → relu(0.7) = 0.7 → 0.5 (code 1.4 → 1).
        float[] h = {1.0f, 1.0f, 0.5f};
        float[] expected = {h[0] + h[1] + h[2], -h[0] + 0.5f * h[1] + 2f * h[2] + 1f};
        try (ArtifactEvaluator eval = new ArtifactEvaluator(a)) {
            float[] logits = eval.logits(new float[] {x0, x1}, 1);
            assertArrayEquals(expected, logits, 1e-6f);
            assertEquals(2, logits.length);
        }
    }
}
