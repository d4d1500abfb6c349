package bitsweep.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** Shared float32 arithmetic of the quantizers: PACT clip, the scale chain and STE rounding. */
final class Steps {

    /** Divisors of the scale chain s_2 → s_4 → … → s_32 (spec §2.3): s_{2b} = s_b / (2^b + 1). */
    static final float[] CHAIN = {5f, 17f, 257f, 65537f};

    private Steps() {
    }

    /** Index of a bit width in {2, 4, 8, 16, 32}. */
    static int level(int bits) {
        return switch (bits) {
            case 2 -> 0;
            case 4 -> 1;
            case 8 -> 2;
            case 16 -> 3;
            case 32 -> 4;
            default -> throw new IllegalArgumentException("bits: expected 2, 4, 8, 16 or 32, got " + bits);
        };
    }

    /** s_2 = R/3 with R = 2·x_max (signed) or x_max (unsigned); {@code xMax} on the batch manager. */
    static NDArray baseStep(NDArray xMax, boolean signed) {
        return (signed ? xMax.mul(Local.scalar(xMax, 2f)) : xMax).div(Local.scalar(xMax, 3f));
    }

    /** Step s_b from s_2 by the chain (never the closed form, to match the reference's float32 values). */
    static NDArray step(NDArray s2, int bits) {
        NDArray s = s2;
        for (int i = 0; i < level(bits); i++) {
            s = s.div(Local.scalar(s, CHAIN[i]));
        }
        return s;
    }

    /**
     * PACT clip {@code x_c = h − relu(h − l − relu(x − l))} with {@code l = −h} (signed) or 0, in exactly
     * this form so that the gradients at the boundaries follow the reference (spec §2.2).
     */
    static NDArray clip(NDArray x, NDArray h, boolean signed) {
        if (!signed) {
            return h.sub(Activation.relu(h.sub(Activation.relu(x))));
        }
        NDArray l = h.neg();
        return h.sub(Activation.relu(h.sub(l).sub(Activation.relu(x.sub(l)))));
    }

    /**
     * The clip's value {@code min(max(x, l), h)} computed exactly, for evaluation: the relu form rounds
     * {@code h − (h − x)} and can move values by an ulp of {@code h}; this is the {@link
     * bitsweep.artifact.QuantSpec} semantics that exported models reproduce.
     */
    static NDArray clampValue(NDArray x, float h, boolean signed) {
        return x.clip(signed ? -h : 0f, h);
    }

    /** The unsigned clip for inputs known to be ≥ 0: {@code h − relu(h − x)}. */
    static NDArray clipNonNegative(NDArray x, NDArray h) {
        return h.sub(Activation.relu(h.sub(x)));
    }

    /** {@code s·ste_round(x/s)}; in training {@code u + stopGradient(⌊u⌉ − u)}, else plain half-even rounding. */
    static NDArray roundToStep(NDArray x, NDArray s, boolean training) {
        NDArray u = x.div(s);
        if (!training) {
            return u.round().mul(s);
        }
        return u.add(u.round().sub(u).stopGradient()).mul(s);
    }
}
