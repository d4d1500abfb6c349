package bitsweep.artifact;

/**
 * A fixed-bit uniform quantizer (spec §9 step 2), the frozen form of a Bayesian Bits quantizer.
 *
 * <p>Semantics, in float32: {@code h = (1 − 2⁻²³)·xMax}, {@code l = signed ? −h : 0},
 * {@code R = signed ? 2·xMax : xMax}, {@code s = R / (2^bits − 1)},
 * {@code q(x) = s · roundHalfEven(clamp(x, l, h) / s)}. For 32 bits the rounding is below float32
 * resolution, so {@code q(x) = clamp(x, l, h)}; exporters may treat 32-bit tensors as float.
 *
 * @param bits   2, 4, 8, 16 or 32
 * @param xMax   learned range (unshrunk)
 * @param signed symmetric signed grid (2^bits − 1 levels) or unsigned (2^bits levels)
 */
public record QuantSpec(int bits, float xMax, boolean signed) {

    /** The float32 shrink factor {@code 1 − 10⁻⁷} rounded to float, i.e. {@code 1 − 2⁻²³}. */
    public static final float SHRINK = 0.9999999f;

    public QuantSpec {
        if (bits != 2 && bits != 4 && bits != 8 && bits != 16 && bits != 32) {
            throw new IllegalArgumentException("bits: expected 2, 4, 8, 16 or 32, got " + bits);
        }
    }

    /** Step size {@code s_b}. */
    public float scale() {
        float range = signed ? 2f * xMax : xMax;
        return (float) (range / (Math.pow(2, bits) - 1));
    }

    /** Largest integer code reachable after clipping: e.g. 127 for signed 8 bits, 15 for unsigned 4. */
    public long maxCode() {
        return signed ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
    }

    /** Smallest integer code: {@code −maxCode()} for signed, 0 for unsigned. */
    public long minCode() {
        return signed ? -maxCode() : 0;
    }
}
