package bitsweep.artifact;

/**
 * A fixed-bit uniform quantizer (spec §9 step 2), the frozen form of a Bayesian Bits quantizer.
 *
 * <p>Semantics, in float32: {@code h = (1 − 2⁻²³)·xMax}, {@code l = signed ? −h : 0},
 * {@code R = signed ? 2·xMax : xMax}, {@code s = R / (2^bits − 1)} evaluated as the float32 chain of
 * spec §2.3 ({@code s_2 = R/3}, then successive float32 divisions by 5, 17, 257 — exactly the
 * training quantizer's arithmetic, see {@link #scale()}),
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

    /**
     * Step size {@code s_b} in float32, by the chain {@code s_2 = R/3, s_4 = s_2/5, s_8 = s_4/17,
     * s_16 = s_8/257, s_32 = s_16/65537} (every operation rounded to float), which is bit-identical to
     * the quantizer the model was trained and fine-tuned with. It equals {@code R/(2^b − 1)} up to a
     * float32 ulp or two.
     */
    public float scale() {
        float s = (signed ? 2f * xMax : xMax) / 3f;
        float[] chain = {5f, 17f, 257f, 65537f};
        for (int i = 0; Integer.numberOfTrailingZeros(bits) - 1 > i; i++) {
            s = s / chain[i];
        }
        return s;
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
