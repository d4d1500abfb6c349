package bitsweep.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Spec §14 items 8 and 9: hard-concrete sampling statistics and the deterministic rule. */
class HardConcreteTest {

    private static double[] zeroAndOneFractions(float logAlpha) {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(11);
            float[] z = HardConcrete.sample(m.full(new Shape(1_000_000), logAlpha), m).toFloatArray();
            int zeros = 0;
            int ones = 0;
            for (float v : z) {
                assertTrue(v >= 0f && v <= 1f);
                zeros += v == 0f ? 1 : 0;
                ones += v == 1f ? 1 : 0;
            }
            return new double[] {zeros / 1e6, ones / 1e6};
        }
    }

    @Test
    void samplesHitZeroAndOneWithTheHardConcreteProbabilities() {
        double[] f = zeroAndOneFractions(0.5f);
        assertEquals(0.1092, f[0], 0.002);
        assertEquals(0.2500, f[1], 0.002);
        double[] g = zeroAndOneFractions(6f);
        assertEquals(0.0005, g[0], 0.0002);
        assertEquals(0.9879, g[1], 0.001);
        assertEquals(0.5246, 1 - zeroAndOneFractions(-1.5f)[0], 0.002);
    }

    @Test
    void deterministicGateSwitchesAtPOffThirtyFourPercent() {
        assertTrue(HardConcrete.deterministicOn(-0.93));
        assertFalse(HardConcrete.deterministicOn(-0.94));
        assertTrue(HardConcrete.deterministicOn(6));
        assertTrue(HardConcrete.deterministicOn(0));
        assertFalse(HardConcrete.deterministicOn(-2));
        assertFalse(HardConcrete.deterministicOn(-6));
    }

    @Test
    void probabilitiesMatchTheSpecTable() {
        double[][] table = {
                {6, 0.000501, 0.999499, 0.987888},
                {0, 0.168178, 0.831822, 0.168178},
                {-0.935303, 0.340000, 0.660000, 0.073516},
                {-2, 0.599025, 0.400975, 0.026633},
                {-6, 0.987888, 0.012112, 0.000501}};
        for (double[] row : table) {
            assertEquals(row[1], HardConcrete.probabilityOff(row[0]), 1e-6);
            assertEquals(row[2], HardConcrete.probabilityNonZero(row[0]), 1e-6);
            assertEquals(row[3], HardConcrete.probabilityOne(row[0]), 1e-6);
        }
        assertEquals(-1.598597, HardConcrete.LOG_RATIO, 1e-6);
    }
}
