package bitsweep.export;

import bitsweep.artifact.QuantSpec;

/**
 * The {@link QuantSpec} quantizer evaluated element by element in Java float32, with the same
 * operations (and therefore the same roundings) as the DJL evaluator and the ONNX graph:
 * {@code clamp(x, l, h)}, then {@code c / s}, round half to even, clamp to the code range, then
 * {@code code · s}.
 */
final class QuantMath {
    private QuantMath() {
    }

    /** Upper clip bound {@code h = (1 − 2⁻²³)·xMax}. */
    static float high(QuantSpec q) {
        return QuantSpec.SHRINK * q.xMax();
    }

    /** Lower clip bound {@code l = −h} (signed) or 0. */
    static float low(QuantSpec q) {
        return q.signed() ? -high(q) : 0f;
    }

    static float clamp(QuantSpec q, float x) {
        return Math.min(Math.max(x, low(q)), high(q));
    }

    /**
     * Integer code of {@code x}, held to the grid; only meaningful below 32 bits. On a signed grid the clip
     * bound sits at code maxCode + ½ − ε, and the float32 chain of s can tip it over: round half to even then
     * gives maxCode + 1 (e.g. 128 at signed 8 bits). The trained quantizer never produces that code.
     */
    static int code(QuantSpec q, float x) {
        float scaled = clamp(q, x) / q.scale();
        return (int) Math.max(q.minCode(), Math.min(q.maxCode(), Math.rint(scaled)));
    }

    /** Fake-quantized value {@code s·⌊clamp(x)/s⌉}; for 32 bits just the clamp (QuantSpec). */
    static float apply(QuantSpec q, float x) {
        if (q.bits() == 32) {
            return clamp(q, x);
        }
        return code(q, x) * q.scale();
    }
}
