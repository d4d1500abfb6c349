package bitsweep.bops;

import static bitsweep.bops.RelativeBopsTest.keepFirst;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import bitsweep.nn.BitsModels;
import bitsweep.nn.QuantizedModel;
import bitsweep.quant.BayesianBitsQuantizer;
import bitsweep.quant.GatingMethod;
import bitsweep.quant.HardConcrete;
import bitsweep.quant.LearnedScale;
import bitsweep.quant.RegType;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --reg-type bop-exact}: expected relative BOPs on LeNet-5, checked against values computed here
 * by hand from the layer MACs (spec §7.5), against the deterministic BOP count where the gates saturate,
 * against finite differences, and against the {@code bop} prior's gradient on conv1's weights.
 */
class ExpectedBopsTest {

    private static final long M1 = 460_800;
    private static final long M2 = 3_276_800;
    private static final long M3 = 524_288;
    private static final long M4 = 5_120;
    private static final double BASELINE = 1024.0 * (M1 + M2 + M3 + M4);
    /** The regulariser's unit: 4·M_max, M_max = conv2's MACs. */
    private static final double UNIT = 4.0 * M2;
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static QuantizedModel lenet(RegType reg) {
        return BitsModels.lenet5(new BitsModels.Variant(new double[] {6, 6, -6, -6}, GatingMethod.L0,
                LearnedScale.RANGE, true, false, 0, 0, reg), manager);
    }

    /** P(z > 0) of a hard-concrete gate (spec §3.5), in double. */
    private static double p(double logAlpha) {
        return HardConcrete.probabilityNonZero(logAlpha);
    }

    /** E[b] by hand: 2 + 2·p4 + 4·p4·p8 + …, gates at index ≥ {@code active} off (the −2 rule). */
    private static double bits(double... logits) {
        double e = 2;
        double chain = 1;
        double gain = 2;
        for (double l : logits) {
            if (l <= HardConcrete.CUTOFF) {
                break;
            }
            chain *= p(l);
            e += chain * gain;
            gain *= 2;
        }
        return e;
    }

    private static double keep(int kept, int channels, double on, double off) {
        return (kept * p(on) + (channels - kept) * p(off)) / channels;
    }

    private static void gates(QuantizedModel m, int quantizer, float... logits) {
        m.bayesianBitsQuantizers().get(quantizer).logAlphaParameter().getArray().set(logits);
    }

    private static void prune(QuantizedModel m, int quantizer, float value) {
        BayesianBitsQuantizer q = m.bayesianBitsQuantizers().get(quantizer);
        float[] v = new float[q.settings().pruneChannels()];
        Arrays.fill(v, value);
        q.pruneLogAlphaParameter().getArray().set(v);
    }

    private static double relative(QuantizedModel m) {
        try (NDManager scope = manager.newSubManager()) {
            return m.expectedBops().expectedRelativeBops(scope).getFloat();
        }
    }

    private static double regularizer(QuantizedModel m) {
        try (NDManager scope = manager.newSubManager()) {
            return m.regularizer(scope).getFloat();
        }
    }

    @Test
    void allEightBitWithDeterministicGatesIsSixPointTwoFivePercent() {
        QuantizedModel m = lenet(RegType.BOP_EXACT);
        for (int q = 0; q < 7; q++) {
            gates(m, q, 60, 60, -6, -6); // saturated: P(z > 0) = 1 in float32; −6 is cut by the −2 rule
        }
        for (int q : new int[] {0, 2, 4}) {
            prune(m, q, 60);
        }
        assertEquals(6.25, relative(m), 1e-5);
        assertEquals(m.bops().relativeBops(), relative(m), 1e-5);
        // 64·ΣM / (4·M_max) = 16·4,267,008 / 3,276,800
        assertEquals(16.0 * (M1 + M2 + M3 + M4) / M2, regularizer(m), 2e-5);
        assertEquals(0.29997, m.expectedBops().relativeBopsPerUnit(), 1e-5);
    }

    @Test
    void readmeInitialisationIsJustBelowSixPointTwoFive() {
        QuantizedModel m = lenet(RegType.BOP_EXACT); // log α 6/6/−6/−6, pruning logits 6
        double b = bits(6, 6, -6, -6);
        double k = p(6);
        double bops = M1 * 8 * b * k + M2 * b * b * k * k + M3 * b * b * k * k + M4 * b * b * 1 * k;
        assertEquals(7.994992, b, 1e-6); // 2 + 2p + 4p², p = σ(7.598597) = 0.999499
        assertEquals(100 * bops / BASELINE, relative(m), 1e-5);
        assertEquals(6.23669, relative(m), 1e-5);
        assertEquals(bops / UNIT, regularizer(m), 2e-5);
    }

    /** Gates cut by the −2 rule, gates in between, and pruned channels on three layers. */
    private static QuantizedModel mixed() {
        QuantizedModel m = lenet(RegType.BOP_EXACT);
        gates(m, 0, 1.5f, -3, -6, -6);  // conv1 w: 8-bit gate cut → at most 4 bits
        gates(m, 1, -2.5f, 6, 6, 6);    // conv1 a: 4-bit gate cut → exactly 2 bits
        gates(m, 2, 1, 0.5f, -1, -6);   // conv2 w: three live gates
        gates(m, 3, 6, 1, -6, -6);      // conv2 a
        gates(m, 4, 0, -1.5f, -6, -6);  // fc1 w
        gates(m, 5, 6, -6, -6, -6);     // fc1 a
        gates(m, 6, 6, 6, 6, 6);        // fc2 w: all four gates live
        keepFirst(m.bayesianBitsQuantizers().get(0), 16);
        keepFirst(m.bayesianBitsQuantizers().get(2), 40);
        keepFirst(m.bayesianBitsQuantizers().get(4), 100);
        return m;
    }

    @Test
    void gatesOffAndPrunedChannelsMatchTheHandComputedExpectation() {
        QuantizedModel m = mixed();
        double k1 = keep(16, 32, 6, -6);
        double k2 = keep(40, 64, 6, -6);
        double k3 = keep(100, 512, 6, -6);
        double bops = M1 * 8 * bits(1.5, -3) * k1
                + M2 * bits(-2.5) * bits(1, 0.5, -1) * k2 * k1
                + M3 * bits(6, 1) * bits(0, -1.5) * k3 * k2
                + M4 * bits(6) * bits(6, 6, 6, 6) * 1 * k3;
        assertEquals(2.0, bits(-2.5));
        assertEquals(100 * bops / BASELINE, relative(m), 1e-5 * relative(m));
        assertEquals(bops / UNIT, regularizer(m), 1e-5 * bops / UNIT);
    }

    /** Spec §7.5's mixed example with saturated gates: the expectation is the deterministic count, 0.163299 %. */
    @Test
    void saturatedGatesGiveTheDeterministicBopCount() {
        QuantizedModel m = lenet(RegType.BOP_EXACT);
        float[] two = {-60, -60, -60, -60};
        float[] four = {60, -60, -60, -60};
        float[] eight = {60, 60, -60, -60};
        gates(m, 0, two);
        gates(m, 1, four);
        gates(m, 2, two);
        gates(m, 3, four);
        gates(m, 4, two);
        gates(m, 5, eight);
        gates(m, 6, eight);
        saturatedKeep(m, 0, 16);
        saturatedKeep(m, 2, 16);
        saturatedKeep(m, 4, 64);
        assertEquals(0.163299, m.bops().relativeBops(), 1e-6);
        assertEquals(0.163299, relative(m), 1e-6);
    }

    private static void saturatedKeep(QuantizedModel m, int quantizer, int kept) {
        BayesianBitsQuantizer q = m.bayesianBitsQuantizers().get(quantizer);
        float[] v = new float[q.settings().pruneChannels()];
        for (int i = 0; i < v.length; i++) {
            v[i] = i < kept ? 60f : -60f;
        }
        q.pruneLogAlphaParameter().getArray().set(v);
    }

    /** A logit to probe: quantizer index, pruning (true) or bit gates, element. */
    private record Probe(int quantizer, boolean pruning, int index) {
        NDArray array(QuantizedModel m) {
            BayesianBitsQuantizer q = m.bayesianBitsQuantizers().get(quantizer);
            return (pruning ? q.pruneLogAlphaParameter() : q.logAlphaParameter()).getArray();
        }
    }

    private static float[] autograd(QuantizedModel m, List<Probe> probes) {
        for (Parameter p : m.block().getParameters().values()) {
            if (p.requiresGradient() && p.getArray().hasGradient()) {
                NDArray g = p.getArray().getGradient();
                g.subi(g);
            }
        }
        try (NDManager scope = manager.newSubManager()) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(m.regularizer(scope));
            }
        }
        float[] out = new float[probes.size()];
        for (int i = 0; i < out.length; i++) {
            Probe pr = probes.get(i);
            out[i] = pr.array(m).getGradient().toFloatArray()[pr.index()];
        }
        return out;
    }

    /**
     * Central differences with h = 0.01 on float32 logits: truncation error ~h²·|R'''| ≈ 1e-5 and rounding
     * error ~ulp(R)/h ≈ 1e-5 at R ≈ 1…5, hence the tolerance 1e-4 + 1e-2·|g| on gradients of at least 2e-3.
     */
    @Test
    void gradientsMatchFiniteDifferences() {
        QuantizedModel m = mixed();
        List<Probe> probes = List.of(
                new Probe(0, false, 0),   // conv1 w log α_4
                new Probe(2, false, 1),   // conv2 w log α_8
                new Probe(2, false, 2),   // conv2 w log α_16
                new Probe(3, false, 1),   // conv2 a log α_8
                new Probe(4, false, 0),   // fc1 w log α_4
                new Probe(0, true, 3),    // conv1 pruning logit, kept channel
                new Probe(2, true, 50));  // conv2 pruning logit, pruned channel
        // move the probed pruning logits off saturation so the gradients are sizeable
        setElement(probes.get(5).array(m), 3, 1f);
        setElement(probes.get(6).array(m), 50, -0.5f);
        float[] ad = autograd(m, probes);
        float h = 0.01f;
        for (int i = 0; i < probes.size(); i++) {
            NDArray a = probes.get(i).array(m);
            int idx = probes.get(i).index();
            float x0 = a.toFloatArray()[idx];
            setElement(a, idx, x0 + h);
            double up = regularizer(m);
            setElement(a, idx, x0 - h);
            double down = regularizer(m);
            setElement(a, idx, x0);
            double fd = (up - down) / (2 * h);
            assertEquals(fd, ad[i], 1e-4 + 1e-2 * Math.abs(fd), "probe " + probes.get(i));
            assertEquals(true, Math.abs(ad[i]) > 2e-3, "probe " + probes.get(i) + " has a sizeable gradient");
        }
        // gates cut by the −2 rule, and everything above them, get no gradient
        List<Probe> cut = List.of(new Probe(0, false, 1), new Probe(0, false, 2), new Probe(1, false, 0),
                new Probe(1, false, 3), new Probe(2, false, 3));
        for (float g : autograd(m, cut)) {
            assertEquals(0f, g);
        }
    }

    /**
     * The normalisation: conv1's weights multiply the 8-bit image, so with their 16/32-bit gates off
     * bop-exact prices them exactly like bop, {@code ∂R/∂log α_k} identical for k = 4, 8.
     */
    @Test
    void conv1WeightGatesGetTheBopPriorsGradient() {
        QuantizedModel exact = lenet(RegType.BOP_EXACT);
        QuantizedModel bop = lenet(RegType.BOP);
        for (QuantizedModel m : List.of(exact, bop)) {
            gates(m, 0, 1, 0.5f, -60, -60);
            keepFirst(m.bayesianBitsQuantizers().get(0), 20);
        }
        List<Probe> probes = List.of(new Probe(0, false, 0), new Probe(0, false, 1));
        float[] e = autograd(exact, probes);
        float[] b = autograd(bop, probes);
        for (int i = 0; i < 2; i++) {
            assertEquals(b[i], e[i], 1e-5 * Math.abs(b[i]), "log α_" + (4 << i));
        }
    }

    private static void setElement(NDArray a, int index, float value) {
        float[] v = a.toFloatArray();
        v[index] = value;
        a.set(v);
    }
}
