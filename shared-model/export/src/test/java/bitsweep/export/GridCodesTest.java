package bitsweep.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import bitsweep.artifact.QuantSpec;
import bitsweep.quant.FixedBitQuantizer;
import org.junit.jupiter.api.Test;

/**
 * On a signed grid the clip bound h = (1 − 2⁻²³)·xMax sits just below code maxCode + ½, and the float32
 * chain of s can tip h/s onto that tie: round half to even then gives maxCode + 1 (128 at 8 bits). Seen in
 * CI as an exported model that agreed with DJL on only 92.5 % of MNIST. Every evaluator holds codes to the grid.
 */
class GridCodesTest {
    /** A range (found by search) whose float32 chain puts the clip bound exactly on 127.5 at signed 8 bits. */
    private static final QuantSpec TIPPING = new QuantSpec(8, 0.1644577831029892f, true);

    @Test
    void theClipBoundOfThisRangeRoundsOneCodeAboveTheGridWithoutTheHold() {
        float scaled = QuantMath.high(TIPPING) / TIPPING.scale();
        assertTrue(Math.rint(scaled) > TIPPING.maxCode(), "h/s = " + scaled + " must tip over for this test to mean anything");
    }

    @Test
    void javaAndDjlEvaluatorsHoldTheTopAndBottomCodesToTheSignedGrid() {
        assertEquals(127, QuantMath.code(TIPPING, 10f));
        assertEquals(-127, QuantMath.code(TIPPING, -10f));
        assertEquals(127 * TIPPING.scale(), QuantMath.apply(TIPPING, TIPPING.xMax()), 0f);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] q = ArtifactEvaluator.quantize(m.create(new float[] {10f, TIPPING.xMax(), -10f, 0.05f}), TIPPING)
                    .toFloatArray();
            assertEquals(127 * TIPPING.scale(), q[0], 0f);
            assertEquals(127 * TIPPING.scale(), q[1], 0f);
            assertEquals(-127 * TIPPING.scale(), q[2], 0f);
            assertEquals(QuantMath.apply(TIPPING, 0.05f), q[3], 0f);
        }
    }

    @Test
    void theFineTuningQuantizerHoldsTheTopCodeToTheSignedGridToo() {
        try (NDManager m = NDManager.newBaseManager()) {
            FixedBitQuantizer fixed = FixedBitQuantizer.of("w", TIPPING, null, m);
            float[] q = fixed.quantize(m.create(new float[] {10f, -10f}), false).toFloatArray();
            assertEquals(127 * TIPPING.scale(), q[0], 0f);
            assertEquals(-127 * TIPPING.scale(), q[1], 0f);
        }
    }
}
