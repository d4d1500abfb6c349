package bitsweep.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The where-form PACT clip of {@link Steps} against the reference's relu form {@code h − relu(h − l − relu(x − l))}
 * (spec §2.2): the same gradients to x and to h everywhere, on the bounds and at 0 included, and the same values to
 * an ulp of h (the relu form rounds {@code h − (2h − (x + h))}: a few ulps of h).
 */
class PactClipTest {

    private static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    /** 0: signed clip, 1: unsigned clip, 2: unsigned clip of inputs ≥ 0. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void whereFormHasTheReluFormsGradientsEverywhereAndItsValuesToAnUlp(int kind) {
        boolean signed = kind == 0;
        float h = 1.7f;
        float[] x = inputs(h, kind == 2);
        Result fast = run(x, h, (v, top) -> kind == 2 ? Steps.clipNonNegative(v, top) : Steps.clip(v, top, signed));
        Result reference = run(x, h, (v, top) -> kind == 2 ? reluFormNonNegative(v, top) : reluForm(v, top, signed));
        float lower = signed ? -h : 0f;
        float hGradient = 0f;
        for (int i = 0; i < x.length; i++) {
            assertEquals(reference.value[i], fast.value[i], 4 * Math.ulp(h), "value at x = " + x[i]);
            if (nearABound(x[i], h, signed)) {
                // the relu form computes 2h − (x + h), which rounds to 0 a few ulps inside the range; the where
                // form keeps the exact rule there: 1 strictly inside
                assertEquals(x[i] > lower && x[i] < h ? 1f : 0f, fast.gradX[i], 0f, "gradient to x at x = " + x[i]);
            } else {
                assertEquals(reference.gradX[i], fast.gradX[i], 0f, "gradient to x at x = " + x[i]);
            }
            hGradient += (x[i] >= h ? 1f : signed && x[i] <= -h ? -1f : 0f) * weight(i);
        }
        assertEquals(hGradient, fast.gradH, 1e-3f, "gradient to h: Σ w where x ≥ h, minus Σ w where x ≤ −h");
        assertEquals(reference.gradH, fast.gradH, 2 * 1.875f, "gradient to h against the relu form (at most two "
                + "elements a few ulps from a bound differ)");
    }

    /** Within a few ulps of h or −h but not on it: where the relu form's own rounding moves the bound. */
    private static boolean nearABound(float x, float h, boolean signed) {
        boolean nearTop = x != h && Math.abs(x - h) <= 4 * Math.ulp(h);
        boolean nearBottom = signed && x != -h && Math.abs(x + h) <= 4 * Math.ulp(h);
        return nearTop || nearBottom;
    }

    private static float weight(int i) {
        return 1f + (i % 7) / 8f;
    }

    /** Random values around the range plus the bounds, 0 and their float neighbours exactly. */
    private static float[] inputs(float h, boolean nonNegative) {
        Random random = new Random(7);
        float[] special = {h, -h, 0f, Math.nextUp(h), Math.nextDown(h), Math.nextUp(-h), Math.nextDown(-h),
                Math.nextUp(0f), -Math.nextUp(0f), 3 * h, -3 * h};
        float[] x = new float[special.length + 2000];
        System.arraycopy(special, 0, x, 0, special.length);
        for (int i = special.length; i < x.length; i++) {
            x[i] = (random.nextFloat() * 4 - 2) * h;
        }
        if (nonNegative) {
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.max(x[i], 0f);
            }
        }
        return x;
    }

    private record Result(float[] value, float[] gradX, float gradH) {
    }

    /** Value and gradients of {@code Σ w·clip(x, h)} with distinct weights w per element. */
    private static Result run(float[] x, float h, BiFunction<NDArray, NDArray, NDArray> clip) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray in = scope.create(x);
            in.setRequiresGradient(true);
            NDArray top = scope.create(new float[] {h});
            top.setRequiresGradient(true);
            float[] w = new float[x.length];
            for (int i = 0; i < w.length; i++) {
                w[i] = weight(i);
            }
            NDArray weights = scope.create(w);
            float[] value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = clip.apply(in, top);
                value = out.toFloatArray();
                gc.backward(out.mul(weights).sum());
            }
            float[] gradX = in.getGradient().toFloatArray();
            for (int i = 0; i < gradX.length; i++) {
                gradX[i] /= w[i];
            }
            return new Result(value, gradX, top.getGradient().getFloat(0));
        }
    }

    /** The reference's form, literally. */
    private static NDArray reluForm(NDArray x, NDArray h, boolean signed) {
        NDArray l = signed ? h.neg() : Local.scalar(x, 0f);
        return h.sub(Activation.relu(h.sub(l).sub(Activation.relu(x.sub(l)))));
    }

    private static NDArray reluFormNonNegative(NDArray x, NDArray h) {
        return h.sub(Activation.relu(h.sub(x)));
    }
}
