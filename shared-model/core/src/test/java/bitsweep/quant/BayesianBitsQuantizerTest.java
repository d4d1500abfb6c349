package bitsweep.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import bitsweep.artifact.QuantSpec;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Spec §14 items 1–7, 10, 11 and 21 (range initialisation) for the quantizer itself. */
class BayesianBitsQuantizerTest {

    static final float ON = 6f;
    static final float OFF = -1f; // deterministic 0, above the −2 cut-off
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(7);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** A quantizer with its range set to {@code xMax} and the given sign, gates as given. */
    static BayesianBitsQuantizer quantizer(QuantizerSettings settings, float xMax, boolean signed, float... gates) {
        BayesianBitsQuantizer q = new BayesianBitsQuantizer("test", "", settings);
        for (Parameter p : q.parameters()) {
            p.initialize(manager, DataType.FLOAT32);
        }
        q.restoreState(true, signed);
        q.rangeParameter().getArray().set(new float[] {xMax});
        if (gates.length == 4) {
            q.logAlphaParameter().getArray().set(gates);
        }
        return q;
    }

    static QuantizerSettings plain() {
        return QuantizerSettings.standard(new double[] {6, 6, 6, 6}, 0);
    }

    static QuantizerSettings fixedGating() {
        return new QuantizerSettings(GatingMethod.FIXED, LearnedScale.RANGE, new double[] {6, 6, 6, 6}, 0, false, 0);
    }

    /** Gates on up to {@code bits}, deterministic off above (still sampled in training). */
    static float[] gatesUpTo(int bits) {
        return gatesUpTo(bits, OFF);
    }

    /** Gates on up to {@code bits}, {@code off} above (−6: cut off by the −2 rule in training too). */
    static float[] gatesUpTo(int bits, float off) {
        float[] g = new float[4];
        for (int k = 0; k < 4; k++) {
            g[k] = (4 << k) <= bits ? ON : off;
        }
        return g;
    }

    static float[] uniform(int n, float lo, float hi, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = lo + (hi - lo) * r.nextFloat();
        }
        return x;
    }

    /** Float32 step s_b by the spec's chain. */
    static float step(float xMax, boolean signed, int bits) {
        return new QuantSpec(bits, xMax, signed).scale();
    }

    /** Direct b-bit quantization s_b·⌊clip(x)/s_b⌉ in float32. */
    static float direct(float x, float xMax, boolean signed, int bits) {
        float h = QuantSpec.SHRINK * xMax;
        float l = signed ? -h : 0f;
        float c = Math.min(Math.max(x, l), h);
        float s = step(xMax, signed, bits);
        return (float) Math.rint(c / s) * s;
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void decompositionEqualsDirectQuantization(boolean signed) {
        float xMax = 2.7f;
        float[] x = uniform(1_000_000, -4f, 4f, 1);
        for (int bits : new int[] {2, 4, 8, 16}) {
            BayesianBitsQuantizer q = quantizer(plain(), xMax, signed, gatesUpTo(bits));
            q.useLiteralDecomposition(true); // the identity itself, not the fast path that relies on it
            float[] out;
            try (NDManager scope = manager.newSubManager()) {
                out = q.quantize(scope.create(x), false).toFloatArray();
            }
            float s = step(xMax, signed, bits);
            int codeMismatches = 0;
            for (int i = 0; i < x.length; i++) {
                float d = direct(x[i], xMax, signed, bits);
                if (bits <= 4) {
                    assertEquals(d, out[i], 0f, "bit-exact at " + bits + " bits for x=" + x[i]);
                } else if (Math.rint(out[i] / s) != Math.rint(d / s)) {
                    codeMismatches++;
                    assertEquals(1.0, Math.abs(Math.rint(out[i] / s) - Math.rint(d / s)), 0, "off by more than one code");
                } else {
                    assertEquals(d, out[i], 4 * Math.ulp(Math.max(Math.abs(d), s)), "value at " + bits + " bits");
                }
            }
            double limit = bits == 8 ? 1e-5 : 2e-3;
            assertTrue(codeMismatches <= limit * x.length, bits + " bits: " + codeMismatches + " code mismatches");
        }
    }

    @Test
    void gridHasTheSpecifiedLevels() {
        float xMax = 2.7f;
        float[] x = uniform(400_000, -4f, 4f, 2);
        for (boolean signed : new boolean[] {true, false}) {
            for (int bits : new int[] {2, 4, 8}) {
                BayesianBitsQuantizer q = quantizer(plain(), xMax, signed, gatesUpTo(bits));
                float s = step(xMax, signed, bits);
                TreeSet<Long> codes = new TreeSet<>();
                try (NDManager scope = manager.newSubManager()) {
                    for (float v : q.quantize(scope.create(x), false).toFloatArray()) {
                        codes.add(Math.round((double) v / s));
                    }
                }
                long top = signed ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
                assertEquals(signed ? -top : 0, codes.first(), signed + " " + bits);
                assertEquals(top, codes.last(), signed + " " + bits);
                assertEquals(signed ? 2 * top + 1 : top + 1, codes.size(), signed + " " + bits);
            }
        }
    }

    @Test
    void scaleChainFollowsTheSpec() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray xMax = scope.create(new float[] {2.7f});
            float s2 = Steps.baseStep(xMax, true).getFloat(0);
            assertEquals(2 * 2.7f / 3, s2, 1e-7);
            assertEquals(2.7f / 3, Steps.baseStep(xMax, false).getFloat(0), 1e-7);
            NDArray base = Steps.baseStep(xMax, true);
            assertEquals(s2 / 5, Steps.step(base, 4).getFloat(0), 1e-7 * s2);
            assertEquals(s2 / 85, Steps.step(base, 8).getFloat(0), 1e-7 * s2 / 85);
            assertEquals(s2 / 21845, Steps.step(base, 16).getFloat(0), 1e-7 * s2 / 21845);
            assertEquals(s2 / 1431655765.0, Steps.step(base, 32).getFloat(0), 1e-7 * s2 / 1431655765.0);
        }
    }

    @Test
    void clippingMapsOutOfRangeValuesToTheEndCodes() {
        float xMax = 3f;
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(new float[] {3f, 2.9999999f, 100f, -3f, -100f});
            float[] signed = quantizer(plain(), xMax, true, gatesUpTo(4)).quantize(x, false).toFloatArray();
            float s = step(xMax, true, 4);
            assertArrayEquals(new float[] {7, 7, 7, -7, -7}, codes(signed, s), 0f);
            float[] unsigned = quantizer(plain(), xMax, false, gatesUpTo(4)).quantize(x, false).toFloatArray();
            float su = step(xMax, false, 4);
            assertArrayEquals(new float[] {15, 15, 15, 0, 0}, codes(unsigned, su), 0f);
        }
    }

    private static float[] codes(float[] v, float s) {
        float[] c = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            c[i] = (float) Math.rint(v[i] / s);
        }
        return c;
    }

    @Test
    void zeroFourBitGateGivesTwoBitQuantizationWhateverTheHigherGates() {
        float[] x = uniform(10_000, -3f, 3f, 3);
        BayesianBitsQuantizer q = quantizer(plain(), 2.7f, true, OFF, ON, ON, ON);
        try (NDManager scope = manager.newSubManager()) {
            float[] out = q.quantize(scope.create(x), false).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals(direct(x[i], 2.7f, true, 2), out[i], 0f);
            }
        }
    }

    @Test
    void prunedChannelIsExactlyZero() {
        QuantizerSettings s = QuantizerSettings.standard(new double[] {6, 6, -6, -6}, 4);
        BayesianBitsQuantizer q = quantizer(s, 1f, true, ON, ON, OFF, OFF);
        q.pruneLogAlphaParameter().getArray().set(new float[] {6, -6, 6, 6});
        try (NDManager scope = manager.newSubManager()) {
            NDArray w = scope.randomUniform(-1f, 1f, new Shape(4, 3, 2, 2));
            NDArray out = q.quantize(w, false);
            assertEquals(0f, out.get(1).abs().max().getFloat());
            assertTrue(out.get(0).abs().max().getFloat() > 0f);
            assertArrayEquals(new boolean[] {true, false, true, true}, q.keepMask());
        }
    }

    @Test
    void fractionalGatesWeightTheResidualTerms() {
        // gating "fixed": z = clamp(σ(log α/β)·1.2 − 0.1); log α = β·ln(1/2) gives z_4 = 0.3 exactly
        float la4 = (float) (HardConcrete.BETA * Math.log(0.5));
        BayesianBitsQuantizer q = quantizer(fixedGating(), 2.7f, true, la4, 6f, -6f, -6f);
        float[] x = uniform(10_000, -3f, 3f, 4);
        float xMax = 2.7f;
        try (NDManager scope = manager.newSubManager()) {
            float[] out = q.quantize(scope.create(x), true).toFloatArray();
            float s2 = step(xMax, true, 2);
            float s4 = step(xMax, true, 4);
            float s8 = step(xMax, true, 8);
            for (int i = 0; i < x.length; i++) {
                float c = Math.min(Math.max(x[i], -QuantSpec.SHRINK * xMax), QuantSpec.SHRINK * xMax);
                float q2 = (float) Math.rint(c / s2) * s2;
                float e4 = (float) Math.rint((c - q2) / s4) * s4;
                float e8 = (float) Math.rint((c - q2 - e4) / s8) * s8;
                assertEquals(q2 + 0.3 * (e4 + e8), out[i], 1e-6);
            }
        }
    }

    @Test
    void roundingIsHalfToEven() {
        // signed x_max = 7.5: s_2 = 5, s_4 = 1
        BayesianBitsQuantizer q = quantizer(fixedGating(), 7.5f, true, gatesUpTo(4, -6f));
        BayesianBitsQuantizer q2 = quantizer(fixedGating(), 7.5f, true, gatesUpTo(2, -6f));
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(new float[] {0.5f, 1.5f, -2.5f, 2.5f, 12.5f});
            assertArrayEquals(new float[] {0f, 2f, -2f, 2f, 7f}, q.quantize(x, true).toFloatArray(), 1e-6f);
            // 2-bit: 2.5/5 = 0.5 → 0, −2.5/5 = −0.5 → −0
            assertArrayEquals(new float[] {0f, 0f, 0f, 0f, 5f}, q2.quantize(x, true).toFloatArray(), 0f);
        }
    }

    @Test
    void inputGradientIsPruningGateInsideTheRangeAndZeroOutside() {
        BayesianBitsQuantizer q = quantizer(fixedGating(), 2f, true, gatesUpTo(8, -6f));
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(new float[] {-3f, -1.3f, 0.2f, 1.7f, 2.5f});
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(q.quantize(x, true).sum());
            }
            assertArrayEquals(new float[] {0f, 1f, 1f, 1f, 0f}, x.getGradient().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void gateGradientIsTheGatedResidualSum() {
        // fixed gating with log α_4 = 0 (z_4 fractional), log α_8 = 6 (z_8 = 1): ∂Σx_q/∂z_4 = Σ(e_4 + e_8)
        BayesianBitsQuantizer q = quantizer(fixedGating(), 2.7f, true, 0f, 6f, -6f, -6f);
        float[] x = uniform(1000, -3f, 3f, 5);
        try (NDManager scope = manager.newSubManager()) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(q.quantize(scope.create(x), true).sum());
            }
            float s2 = step(2.7f, true, 2);
            float s4 = step(2.7f, true, 4);
            float s8 = step(2.7f, true, 8);
            double sum = 0;
            for (float v : x) {
                float c = Math.min(Math.max(v, -QuantSpec.SHRINK * 2.7f), QuantSpec.SHRINK * 2.7f);
                float q2 = (float) Math.rint(c / s2) * s2;
                float e4 = (float) Math.rint((c - q2) / s4) * s4;
                float e8 = (float) Math.rint((c - q2 - e4) / s8) * s8;
                sum += e4 + e8;
            }
            double sig = 1 / (1 + Math.exp(0));
            double dzdla = sig * (1 - sig) / HardConcrete.BETA * (HardConcrete.ZETA - HardConcrete.GAMMA);
            float[] g = q.logAlphaParameter().getArray().getGradient().toFloatArray();
            assertEquals(sum * dzdla, g[0], 1e-4 * Math.max(1, Math.abs(sum)));
            assertEquals(0f, g[2]); // behind the −2 rule
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 8})
    void rangeGradientEqualsThatOfTheDirectQuantizer(int bits) {
        float xMax = 2.7f;
        float[] x = uniform(5000, -4f, 4f, 6);
        BayesianBitsQuantizer q = quantizer(fixedGating(), xMax, true, gatesUpTo(bits, -6f));
        float bb;
        float direct;
        try (NDManager scope = manager.newSubManager()) {
            NDArray weights = scope.randomUniform(0f, 1f, new Shape(x.length));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = q.quantize(scope.create(x), true).mul(weights).sum();
                collectGarbage(); // arrays saved for backward must not live in GC-owned memory
                gc.backward(out);
            }
            bb = q.rangeParameter().getArray().getGradient().getFloat(0);
            NDArray r = scope.create(new float[] {xMax});
            r.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray c = Steps.clip(scope.create(x), r.mul(QuantSpec.SHRINK), true);
                NDArray s = r.mul(2f).div((float) (Math.pow(2, bits) - 1));
                NDArray u = c.div(s);
                NDArray out = u.add(u.round().sub(u).stopGradient()).mul(s);
                gc.backward(out.mul(weights).sum());
            }
            direct = r.getGradient().getFloat(0);
        }
        assertEquals(direct, bb, 1e-3 * Math.abs(direct) + 1e-3);
    }

    /** Frees unreachable direct buffers (DJL scalars wrap them) before a backward pass. */
    static void collectGarbage() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            java.nio.ByteBuffer.allocateDirect(1 << 20);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Training forward values of direct quantization are {@code x + s·ρ} (Steps.roundToGrid), within a few ulps of
     * the range of {@code s·code}; evaluation is exact.
     */
    private static final float TRAINING_TOLERANCE = 4 * Math.ulp(2.7f);

    @Test
    void cutoffAtMinusTwoSwitchesOffTheGateAndAllHigherOnes() {
        // log α_4 = 20 makes z_4 = 1 in every sample; log α_8 = −2 must keep z_8, z_16, z_32 at 0
        BayesianBitsQuantizer q = quantizer(plain(), 2.7f, true, 20f, -2f, 6f, 6f);
        BayesianBitsQuantizer above = quantizer(plain(), 2.7f, true, 20f, -1.99f, 6f, 6f);
        float[] x = uniform(2000, -3f, 3f, 8);
        int deviations = 0;
        try (NDManager scope = manager.newSubManager()) {
            NDArray in = scope.create(x);
            for (int rep = 0; rep < 30; rep++) {
                float[] out = q.quantize(in, true).toFloatArray();
                for (int i = 0; i < x.length; i++) {
                    assertEquals(direct(x[i], 2.7f, true, 4), out[i], TRAINING_TOLERANCE);
                }
                float[] o2 = above.quantize(in, true).toFloatArray();
                for (int i = 0; i < x.length; i++) {
                    if (Math.abs(o2[i] - direct(x[i], 2.7f, true, 4)) > TRAINING_TOLERANCE) {
                        deviations++;
                        break;
                    }
                }
            }
            assertTrue(deviations > 0, "log α_8 = −1.99 is sampled and sometimes on");
            assertEquals(4, q.deterministicBits());
            float[] eval = q.quantize(in, false).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals(direct(x[i], 2.7f, true, 4), eval[i], 0f);
            }
        }
    }

    @Test
    void logAlphaMinusOnePointFiveIsTwoBitsAtTestTimeButSampledInTraining() {
        BayesianBitsQuantizer q = quantizer(plain(), 2.7f, true, -1.5f, 6f, -6f, -6f);
        BayesianBitsQuantizer cut = quantizer(plain(), 2.7f, true, -2.01f, 6f, -6f, -6f);
        assertEquals(2, q.deterministicBits());
        float[] x = uniform(500, -3f, 3f, 9);
        int nonTwoBit = 0;
        int forwards = 400;
        try (NDManager scope = manager.newSubManager()) {
            NDArray in = scope.create(x);
            for (int rep = 0; rep < forwards; rep++) {
                try (NDManager step = scope.newSubManager()) {
                    NDArray local = in.reshape(in.getShape());
                    local.attach(step);
                    float[] out = q.quantize(local, true).toFloatArray();
                    float[] outCut = cut.quantize(local, true).toFloatArray();
                    boolean differs = false;
                    for (int i = 0; i < x.length; i++) {
                        float two = direct(x[i], 2.7f, true, 2);
                        differs |= Math.abs(out[i] - two) > TRAINING_TOLERANCE;
                        assertEquals(two, outCut[i], TRAINING_TOLERANCE);
                    }
                    nonTwoBit += differs ? 1 : 0;
                }
            }
        }
        assertEquals(0.525, (double) nonTwoBit / forwards, 0.08);
    }

    @Test
    void bitsFromGatesAreNested() {
        assertEquals(4, quantizer(plain(), 1f, true, ON, OFF, ON, ON).deterministicBits());
        assertEquals(16, quantizer(plain(), 1f, true, ON, ON, ON, OFF).deterministicBits());
        assertEquals(2, quantizer(plain(), 1f, true, OFF, ON, ON, ON).deterministicBits());
        assertEquals(32, quantizer(plain(), 1f, true, ON, ON, ON, ON).deterministicBits());
    }

    @Test
    void rangeIsInitialisedOnceFromTheFirstTensor() {
        BayesianBitsQuantizer q = new BayesianBitsQuantizer("t", "", plain());
        q.parameters().forEach(p -> p.initialize(manager, DataType.FLOAT32));
        assertFalse(q.initialized());
        try (NDManager scope = manager.newSubManager()) {
            q.quantize(scope.create(new float[] {-5f, 0.5f, 2.25f}), true);
            assertTrue(q.initialized());
            assertTrue(q.signed());
            assertEquals(2.25f, q.xMax());
            assertEquals(-5f, q.xMinValue());
            q.quantize(scope.create(new float[] {9f, 10f}), true);
            assertEquals(2.25f, q.xMax(), "never re-initialised");
            BayesianBitsQuantizer u = new BayesianBitsQuantizer("u", "", plain());
            u.parameters().forEach(p -> p.initialize(manager, DataType.FLOAT32));
            u.quantize(scope.create(new float[] {0f, 0.5f, 3f}), true);
            assertFalse(u.signed());
            assertEquals(3f, u.xMax());
        }
    }

    @Test
    void fixedEightBitModeQuantizesOnTheEightBitGridWithoutGates() {
        QuantizerSettings s = QuantizerSettings.standard(new double[] {-6, -6, -6, -6}, 3).withPruneOnly(true)
                .withFixedBits(8);
        BayesianBitsQuantizer q = quantizer(s, 2f, true);
        q.pruneLogAlphaParameter().getArray().set(new float[] {6, -6, 6});
        try (NDManager scope = manager.newSubManager()) {
            float[] x = uniform(30, -2f, 2f, 10);
            float[] out = q.quantize(scope.create(x, new Shape(3, 10)), false).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                float expected = i / 10 == 1 ? 0f : direct(x[i], 2f, true, 8);
                assertEquals(expected, out[i], 0f);
            }
            assertEquals(8, q.bopBits(true));
        }
    }

    @Test
    void pruneOnlyModeNeitherClipsNorQuantizes() {
        QuantizerSettings s = QuantizerSettings.standard(new double[] {6, 6, 6, -6}, 2).withPruneOnly(true);
        BayesianBitsQuantizer q = quantizer(s, 1f, true);
        q.pruneLogAlphaParameter().getArray().set(new float[] {-6, 6});
        try (NDManager scope = manager.newSubManager()) {
            float[] out = q.quantize(scope.create(new float[] {5f, -7f, 0.123f, 9f}, new Shape(2, 2)), false)
                    .toFloatArray();
            assertArrayEquals(new float[] {0f, 0f, 0.123f, 9f}, out, 0f);
            assertEquals(16, q.bopBits(true));
        }
    }

    @Test
    void scaleModeLearnsTheBaseStep() {
        QuantizerSettings s = new QuantizerSettings(GatingMethod.L0, LearnedScale.SCALE, new double[] {6, 6, -6, -6},
                0, false, 0);
        BayesianBitsQuantizer q = new BayesianBitsQuantizer("s", "", s);
        q.parameters().forEach(p -> p.initialize(manager, DataType.FLOAT32));
        try (NDManager scope = manager.newSubManager()) {
            q.quantize(scope.create(new float[] {-1f, 3f}), true);
            assertEquals(2f, q.rangeParameter().getArray().getFloat(0), 1e-6); // s_2 = 2·3/3
            assertTrue(q.rangeParameter().getName().endsWith(ParameterRoles.S2));
        }
    }
}
