package bitsweep.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import bitsweep.nn.NoGrad;

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
     * this form so that the gradients at the boundaries follow the reference (spec §2.2). Intermediates are
     * closed as soon as the next op has read them: autograd keeps its own reference to what the backward
     * pass needs (PyTorch tensors are reference-counted), and a per-batch manager would otherwise hold every
     * tensor-sized temporary until the step ends.
     */
    static NDArray clip(NDArray x, NDArray h, boolean signed) {
        NDArray l = signed ? h.neg() : null;
        NDArray t = signed ? x.sub(l) : x;
        NDArray a = Activation.relu(t);
        if (t != x) {
            t.close();
        }
        NDArray b = (signed ? h.sub(l) : h).sub(a);
        a.close();
        NDArray c = Activation.relu(b);
        b.close();
        NDArray out = h.sub(c);
        c.close();
        return out;
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
        NDArray b = h.sub(x);
        NDArray c = Activation.relu(b);
        b.close();
        NDArray out = h.sub(c);
        c.close();
        return out;
    }

    /**
     * {@code s·ste_round(x/s)}; in training {@code s·(u + stopGradient(⌊u⌉ − u))}, else plain half-even rounding.
     * {@code ⌊u⌉ − u} is computed without a graph and in place, and the STE sum is formed in place in that
     * buffer: three tensor-sized arrays instead of five, and autograd records only the division, one addition
     * and the multiplication. {@code u + (⌊u⌉ − u)} is exactly {@code ⌊u⌉} in float32 for |u| < 2²³.
     */
    static NDArray roundToStep(NDArray x, NDArray s, boolean training) {
        return roundToGrid(x, s, training, Float.NaN, Float.NaN);
    }

    /**
     * {@link #roundToStep} with the integer code clamped to {@code [lo, hi]} (no clamp when NaN). Direct b-bit
     * quantization needs it: with the float32 shrink {@code 1 − 2⁻²³} only an ulp below x_max and the chained
     * s_b a little below R/(2^b − 1), {@code h/s_b} rounds one code above the grid for a few per cent of
     * ranges (e.g. 128 at signed 8 bits), where the residual decomposition stays on the grid. The clamp is part
     * of the detached rounding residual, so the gradients keep the STE form.
     */
    static NDArray roundToGrid(NDArray x, NDArray s, boolean training, float lo, float hi) {
        NDArray u = x.div(s);
        NDArray d;
        try (NoGrad ignored = NoGrad.open()) {
            d = u.round();
            if (!Float.isNaN(lo)) {
                NDArray c = d.clip(lo, hi);
                d.close();
                d = c;
            }
            if (training) {
                d.subi(u);
            }
        }
        if (training) {
            d.addi(u); // in grad mode: d now carries u's gradient (d itself was a constant)
        }
        u.close();
        NDArray out = d.mul(s);
        d.close();
        return out;
    }
}
