package bitsweep.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import org.junit.jupiter.api.Test;

/** The update rules against PyTorch's formulas written out by hand in double precision. */
class UpdateRuleTest {
    private static final double[][] GRADS = {{0.5, -1.0, 2.0}, {0.1, 0.3, -0.2}, {-0.7, 0.0, 1.5}};

    @Test
    void adamFollowsPytorch11EpsilonPlacementAndFoldedBiasCorrection() {
        double lr = 1e-3;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        double[] theta = {1.0, -2.0, 0.5};
        double[] m = new double[3];
        double[] v = new double[3];
        for (int t = 1; t <= GRADS.length; t++) {
            double stepSize = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
            for (int i = 0; i < 3; i++) {
                double g = GRADS[t - 1][i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                theta[i] -= stepSize * m[i] / (Math.sqrt(v[i]) + eps);
            }
        }
        assertArrayEquals(toFloat(theta), run(new UpdateRule.Adam(b1, b2, eps), lr), 1e-6f);
    }

    @Test
    void nesterovSgdUsesGradientPlusMomentumTimesBuffer() {
        double lr = 0.1;
        double mu = 0.9;
        double[] theta = {1.0, -2.0, 0.5};
        double[] buf = new double[3];
        for (int t = 1; t <= GRADS.length; t++) {
            for (int i = 0; i < 3; i++) {
                double g = GRADS[t - 1][i];
                buf[i] = t == 1 ? g : mu * buf[i] + g;
                theta[i] -= lr * (g + mu * buf[i]);
            }
        }
        assertArrayEquals(toFloat(theta), run(new UpdateRule.NesterovSgd(mu), lr), 1e-6f);
    }

    private static float[] run(UpdateRule rule, double lr) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.create(new float[] {1.0f, -2.0f, 0.5f});
            SlotState state = rule.newState(w, manager);
            for (double[] g : GRADS) {
                try (NDScope scope = new NDScope()) {
                    rule.apply(w, manager.create(toFloat(g)), state, lr);
                }
            }
            return w.toFloatArray();
        }
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
