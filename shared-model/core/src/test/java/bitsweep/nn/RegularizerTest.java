package bitsweep.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import bitsweep.autograd.ParameterGroup;
import bitsweep.nn.BitsModels.Variant;
import bitsweep.quant.BayesianBitsQuantizer;
import bitsweep.quant.GatingMethod;
import bitsweep.quant.LearnedScale;
import bitsweep.quant.RegType;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Spec §14 items 12–15: the regulariser's test vector, monotonicity, const prior and gradients. */
class RegularizerTest {

    private static final double[] MNIST_INIT = {6, 6, -6, -6};
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static Variant variant(RegType reg, double[] init) {
        return new Variant(init, GatingMethod.L0, LearnedScale.RANGE, true, false, 0, 0, reg);
    }

    private static double[] perQuantizer(QuantizedModel m, NDManager scope) {
        return m.bayesianBitsQuantizers().stream().mapToDouble(q -> m.regularizerOf(q, scope).getFloat()).toArray();
    }

    @Test
    void lenetReadmeInitialisationGivesTheSpecTestVector() {
        QuantizedModel m = BitsModels.lenet5(variant(RegType.BOP, MNIST_INIT), manager);
        try (NDManager scope = manager.newSubManager()) {
            double[] r = perQuantizer(m, scope);
            double[] expected = {1.994225, 13.188265, 14.181159, 2.950122, 2.268985, 1.019044, 1.019044};
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], r[i], 2e-6, "quantizer " + m.bayesianBitsQuantizers().get(i).name());
            }
            assertEquals(36.620846, m.regularizer(scope).getFloat(), 2e-5);
        }
    }

    @Test
    void constPriorCostsOnePerStep() {
        QuantizedModel m = BitsModels.lenet5(variant(RegType.CONST, MNIST_INIT), manager);
        try (NDManager scope = manager.newSubManager()) {
            double[] r = perQuantizer(m, scope);
            assertEquals(3.009235, r[0], 2e-6); // conv1 weights, pruned
            assertEquals(3.010744, r[1], 2e-6); // conv1 activations
        }
    }

    @Test
    void constPriorLimitsAreFiveAndZeroOrOne() {
        QuantizedModel m = BitsModels.lenet5(variant(RegType.CONST, MNIST_INIT), manager);
        BayesianBitsQuantizer pruned = m.bayesianBitsQuantizers().get(0);
        BayesianBitsQuantizer activation = m.bayesianBitsQuantizers().get(1);
        try (NDManager scope = manager.newSubManager()) {
            for (float limit : new float[] {60f, -60f}) {
                setAll(pruned, limit);
                setAll(activation, limit);
                assertEquals(limit > 0 ? 5 : 0, m.regularizerOf(pruned, scope).getFloat(), 1e-5);
                assertEquals(limit > 0 ? 5 : 1, m.regularizerOf(activation, scope).getFloat(), 1e-5);
            }
        }
    }

    @Test
    void bopPriorIsBoundedByTheCumulativeCostOfAllSteps() {
        QuantizedModel m = BitsModels.lenet5(variant(RegType.BOP, MNIST_INIT), manager);
        long max = m.macAssignment().maxMacs();
        try (NDManager scope = manager.newSubManager()) {
            for (BayesianBitsQuantizer q : m.bayesianBitsQuantizers()) {
                setAll(q, 60f);
                double frac = (double) m.macAssignment().macsOf(q) / max;
                double bound = q.hasPruningGates() ? frac * 62 : 1 + frac * 60;
                float r = m.regularizerOf(q, scope).getFloat();
                assertEquals(bound, r, 1e-4 * bound, q.name());
                setAll(q, 0f);
                assertTrue(m.regularizerOf(q, scope).getFloat() < bound);
            }
        }
    }

    @Test
    void regularizerIncreasesWithMacs() {
        BayesianBitsQuantizer q = BitsModels.lenet5(variant(RegType.BOP, MNIST_INIT), manager).bayesianBitsQuantizers().get(0);
        try (NDManager scope = manager.newSubManager()) {
            float small = q.regularizer(scope, new float[] {0.2f, 0.4f, 0.8f, 1.6f, 3.2f}).getFloat();
            float large = q.regularizer(scope, new float[] {0.4f, 0.8f, 1.6f, 3.2f, 6.4f}).getFloat();
            assertTrue(large > small);
        }
    }

    @Test
    void regularizerStepLowersEveryLogitAndLeavesWeightsAndRangesAlone() {
        QuantizedModel m = BitsModels.lenet5(variant(RegType.BOP, MNIST_INIT), manager);
        try (NDManager scope = manager.newSubManager()) {
            List<Parameter> params = m.block().getParameters().values();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(m.regularizer(scope).mul(0.1f));
            }
            for (Parameter p : params) {
                if (!p.requiresGradient()) {
                    continue;
                }
                float[] g = p.getArray().getGradient().toFloatArray();
                if (m.groupOf(p) == ParameterGroup.GATES) {
                    float[] before = p.getArray().toFloatArray();
                    // plain SGD with a large step so that tiny gradients of saturated logits still move the float value
                    float[] after = p.getArray().sub(p.getArray().getGradient().mul(1e3f)).toFloatArray();
                    for (int i = 0; i < g.length; i++) {
                        assertTrue(g[i] > 0, p.getName() + "[" + i + "] gradient " + g[i]);
                        assertTrue(after[i] < before[i], p.getName() + "[" + i + "] not decreased");
                    }
                } else {
                    for (float v : g) {
                        assertEquals(0f, v, p.getName());
                    }
                }
            }
        }
    }

    private static void setAll(BayesianBitsQuantizer q, float v) {
        q.logAlphaParameter().getArray().set(new float[] {v, v, v, v});
        if (q.hasPruningGates()) {
            q.pruneLogAlphaParameter().getArray().set(filled(q.settings().pruneChannels(), v));
        }
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
