package bitsweep.train.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import bitsweep.nn.BitsModels;
import bitsweep.nn.QuantizedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code --gate-samples}: K = 1 is the step as it was, bit for bit; K > 1 draws other gates per slice. */
class GateSampledCrossEntropyTest {

    private static final int BATCH = 16;
    private static final Loss CE = Loss.softmaxCrossEntropyLoss();
    private static NDManager manager;
    private static QuantizedModel model;
    private static float[] pixels;
    private static float[] labels;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
        // gates at log α = 0.5: samples are fractional, so every draw matters for loss and gradients
        model = BitsModels.lenet5(BitsModels.Variant.readme(new double[] {0.5, 0.5, 0.5, 0.5}), manager);
        Random r = new Random(3);
        pixels = new float[BATCH * 28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = r.nextFloat();
        }
        labels = new float[BATCH];
        for (int i = 0; i < BATCH; i++) {
            labels[i] = r.nextInt(10);
        }
        Engine.getInstance().setRandomSeed(11);
        try (NDManager m = manager.newSubManager()) {
            model.initializeRanges(m.create(java.util.Arrays.copyOf(pixels, 2 * 28 * 28), new Shape(2, 1, 28, 28)));
        }
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    /** Loss and every gradient after one seeded forward/backward through {@code loss}. */
    private static List<float[]> step(Function<NDManager, NDArray> loss) {
        List<float[]> out = new ArrayList<>();
        try (NDManager bm = manager.newSubManager()) {
            Engine.getInstance().setRandomSeed(42);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray l = loss.apply(bm);
                out.add(new float[] {l.getFloat()});
                gc.backward(l);
            }
            for (Pair<String, Parameter> p : model.block().getParameters()) {
                NDArray w = p.getValue().getArray();
                if (p.getValue().requiresGradient() && w.hasGradient()) {
                    NDArray g = w.getGradient();
                    out.add(g.toFloatArray());
                    g.subi(g);
                }
            }
        }
        return out;
    }

    private static NDArray x(NDManager bm) {
        return bm.create(pixels, new Shape(BATCH, 1, 28, 28));
    }

    /** The step's data term as TrainingSession computed it before --gate-samples existed. */
    private static NDArray before(NDManager bm) {
        NDArray logits = model.block().forward(new ParameterStore(bm, false), new NDList(x(bm)), true)
                .singletonOrThrow();
        return CE.evaluate(new NDList(bm.create(labels)), new NDList(logits));
    }

    private static NDArray sampled(NDManager bm, int k) {
        return GateSampledCrossEntropy.evaluate(model.block(), CE, bm, x(bm), bm.create(labels), k);
    }

    @Test
    void oneSampleIsBitIdenticalToTheStepWithoutTheFlag() {
        List<float[]> a = step(GateSampledCrossEntropyTest::before);
        List<float[]> b = step(bm -> sampled(bm, 1));
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), 0f, "entry " + i);
        }
    }

    @Test
    void fourSamplesChangeTheLossAndTheGateGradients() {
        List<float[]> one = step(bm -> sampled(bm, 1));
        List<float[]> four = step(bm -> sampled(bm, 4));
        assertNotEquals(one.get(0)[0], four.get(0)[0]);
        int differing = 0;
        for (int i = 1; i < one.size(); i++) {
            if (!java.util.Arrays.equals(one.get(i), four.get(i))) {
                differing++;
            }
        }
        assertEquals(one.size() - 1, differing, "every gradient changes with other gate draws");
        // the combined loss is still a batch mean: same order of magnitude as one sample's
        assertEquals(one.get(0)[0], four.get(0)[0], 0.5 * one.get(0)[0]);
    }
}
