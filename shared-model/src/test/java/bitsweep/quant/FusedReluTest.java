package bitsweep.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An output quantizer that applies its layer's ReLU ({@link BayesianBitsQuantizer#setAppliesRelu}) against the
 * ReLU followed by the quantizer: exactly the same output, the same gradients to the input, the range and every
 * gate logit, in training and in evaluation, and the same range and sign when the range is initialised from the
 * first batch (which the fused quantizer sees before the ReLU).
 */
class FusedReluTest {
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    record Run(float[] out, float[] gradX, float[] gradRange, float[] gradLogAlpha, float range, boolean signed) {
    }

    private static Run run(boolean fused, Shape shape, float[] x, float[] w, float[] noise, float[] logAlpha,
                           Float range, boolean training) {
        BayesianBitsQuantizer q = new BayesianBitsQuantizer("layer.output", "",
                QuantizerSettings.standard(new double[] {6, 6, -6, -6}, 0));
        try (NDManager scope = manager.newSubManager()) {
            for (Parameter p : q.parameters()) {
                p.initialize(scope, DataType.FLOAT32);
            }
            if (range != null) {
                q.restoreState(true, false);
                q.rangeParameter().getArray().set(new float[] {range});
            }
            q.logAlphaParameter().getArray().set(logAlpha);
            if (fused) {
                q.setAppliesRelu(true);
            } else {
                q.setNonNegativeInput(true);
            }
            NDArray in = scope.create(x, shape);
            in.setRequiresGradient(true);
            NDArray out;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray input = fused ? in : Activation.relu(in);
                out = q.quantize(input, training, training ? scope.create(noise) : null);
                if (training) {
                    gc.backward(out.mul(scope.create(w, shape)).sum());
                }
            }
            return new Run(out.toFloatArray(), training ? in.getGradient().toFloatArray() : null,
                    training ? q.rangeParameter().getArray().getGradient().toFloatArray() : null,
                    training ? q.logAlphaParameter().getArray().getGradient().toFloatArray() : null,
                    q.rangeParameter().getArray().getFloat(0), q.signed());
        }
    }

    @ParameterizedTest(name = "{0} {1}x{2}x{3}x{4} gates {5}")
    @CsvSource({
            "lenet5.conv1.output, 16, 32, 12, 12, 1111",
            "lenet5.fc1.output, 64, 512, 1, 1, 1100",
            "vgg7.conv1.output, 4, 128, 32, 32, 1000",
            "vgg7.conv6.output, 8, 512, 4, 4, 1f00"})
    void theFusedReluGivesTheSameValuesAndGradientsAsReluThenQuantizer(String layer, int n, int c, int h, int wd,
                                                                       String gates) {
        Shape shape = h == 1 ? new Shape(n, c) : new Shape(n, c, h, wd);
        int size = (int) shape.size();
        Random r = new Random(layer.hashCode());
        float[] x = new float[size];
        float[] w = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (r.nextGaussian() * 1.5); // half negative (what the ReLU removes), some above the range
            w[i] = (float) r.nextGaussian();
        }
        x[0] = 0f;
        x[1] = -0f;
        float[] logAlpha = new float[4];
        float[] noise = new float[4];
        for (int k = 0; k < 4; k++) {
            logAlpha[k] = -1.5f + 7f * r.nextFloat();
            noise[k] = BayesianBitsFastPathTest.sigmoid(BayesianBitsFastPathTest.noiseLogit(gates.charAt(k),
                    logAlpha[k], r));
        }
        float range = 2.5f;
        Run fused = run(true, shape, x, w, noise, logAlpha, range, true);
        Run reference = run(false, shape, x, w, noise, logAlpha, range, true);
        assertArrayEquals(reference.out(), fused.out(), 0f, "output");
        assertArrayEquals(reference.gradX(), fused.gradX(), 0f, "gradient to the input (0 where x <= 0)");
        assertArrayEquals(reference.gradRange(), fused.gradRange(), 0f, "gradient to the range");
        assertArrayEquals(reference.gradLogAlpha(), fused.gradLogAlpha(), 0f, "gradients to the gate logits");

        Run fusedEval = run(true, shape, x, w, noise, logAlpha, range, false);
        Run referenceEval = run(false, shape, x, w, noise, logAlpha, range, false);
        assertArrayEquals(referenceEval.out(), fusedEval.out(), 0f, "evaluation output");
    }

    @ParameterizedTest(name = "training {0}")
    @CsvSource({"true", "false"})
    void theRangeInitialisedBeforeTheReluIsUnsignedAndEqualsTheOneAfterIt(boolean training) {
        Shape shape = new Shape(8, 16, 6, 6);
        Random r = new Random(3);
        float[] x = new float[(int) shape.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] logAlpha = {6, 6, -6, -6};
        float[] noise = {0.999f, 0.999f, 0.001f, 0.001f};
        Run fused = run(true, shape, x, new float[x.length], noise, logAlpha, null, training);
        Run reference = run(false, shape, x, new float[x.length], noise, logAlpha, null, training);
        assertFalse(fused.signed(), "unsigned: the quantizer applies the ReLU");
        assertEquals(reference.range(), fused.range(), 0f, "range from the first batch's maximum");
        assertArrayEquals(reference.out(), fused.out(), 0f, "output");
    }
}
