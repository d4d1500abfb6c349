package bitsweep.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import bitsweep.autograd.NoGrad;

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
     * PACT clip {@code x_c = h − relu(h − l − relu(x − l))} with {@code l = −h} (signed) or 0 (spec §2.2), formed
     * as {@code where(x > l, where(x < h, x, h), l)}. The gradients are the relu form's, boundaries included (relu'(0)
     * = 0): 1 to x strictly inside (l, h), 0 outside and on the bounds; to h, 1 where x ≥ h and −1 where x ≤ −h
     * (through l = −h). {@code PactClipTest} pins that against the relu form. The value is {@code x} itself inside
     * the range, where the relu form rounds {@code h − (h − x)} by up to an ulp of h: the exact clamp that evaluation
     * and exported models use. Autograd keeps one boolean mask per where instead of a float tensor per relu, and
     * records one op per bound instead of five, on every large activation of the network.
     */
    static NDArray clip(NDArray x, NDArray h, boolean signed) {
        NDArray upper = clipAbove(x, h);
        NDArray l = signed ? h.neg() : Local.scalar(x.getManager(), 0f);
        NDArray out;
        try (NDArray above = x.gt(l)) {
            out = NDArrays.where(above, upper, l);
        }
        upper.close();
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

    /**
     * The unsigned clip for inputs known to be ≥ 0, {@code h − relu(h − x)}: {@code where(x < h, x, h)}, with the
     * relu form's gradients (1 to x where x < h, else 1 to h).
     */
    static NDArray clipNonNegative(NDArray x, NDArray h) {
        return clipAbove(x, h);
    }

    private static NDArray clipAbove(NDArray x, NDArray h) {
        try (NDArray below = x.lt(h)) {
            return NDArrays.where(below, x, h);
        }
    }

    /**
     * {@code s·ste_round(x/s)}; in training {@code s·(u + stopGradient(⌊u⌉ − u))}, else plain half-even rounding.
     * {@code ⌊u⌉ − u} is computed without a graph and in place, and the STE sum is formed in place in that
     * buffer: three tensor-sized arrays instead of five, and autograd records only the division, one addition
     * and the multiplication. {@code u + (⌊u⌉ − u)} is exactly {@code ⌊u⌉} in float32 for |u| < 2²³, so the
     * value is exactly {@code s·⌊u⌉}: the residual decomposition subtracts these terms from each other, and an
     * ulp of a coarse term would be a large error on the 16- and 32-bit residuals.
     */
    static NDArray roundToStep(NDArray x, NDArray s, boolean training) {
        NDArray u = x.div(s);
        NDArray d;
        try (NoGrad ignored = NoGrad.open()) {
            d = u.round();
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

    /**
     * Direct quantization {@code s·clamp(⌊x/s⌉, lo, hi)} (the clamped-gate fast path and the fixed-bit quantizer).
     * The code is clamped because with the float32 shrink {@code 1 − 2⁻²³} only an ulp below x_max and the chained
     * s_b a little below R/(2^b − 1), {@code h/s_b} rounds one code above the grid for a few per cent of ranges
     * (e.g. 128 at signed 8 bits), where the residual decomposition stays on the grid.
     *
     * <p>In training it is formed as {@code x + s·stopGradient(ρ)} with {@code ρ = clamp(⌊x/s⌉) − x/s} computed
     * without a graph: the STE gradients are the same as {@link #roundToStep}'s (1 to x, {@code Σ g·ρ} to s, as
     * {@code ∂(s·(u + ρ))/∂s = ⌊u⌉ − u}), but autograd records one multiplication and one addition and keeps only
     * ρ, where the exact form records a division, an addition and a multiplication and keeps x and the rounded
     * codes. This is the quantizer op on every large activation, so it sets most of Bayesian Bits' cost over plain
     * FP32 (docs/training.md). The value is within an ulp of {@code s·code} instead of exactly on it; nothing
     * subtracts it from a near-equal term here, and evaluation (and every exported model) uses the exact form.
     */
    static NDArray roundToGrid(NDArray x, NDArray s, boolean training, float lo, float hi) {
        NDArray rho;
        try (NoGrad ignored = NoGrad.open()) {
            NDArray u = x.div(s);
            NDArray d = u.round();
            NDArray code = d.clip(lo, hi);
            d.close();
            if (!training) {
                u.close();
                NDArray out = code.mul(s);
                code.close();
                return out;
            }
            code.subi(u);
            u.close();
            rho = code;
        }
        NDArray step = s.mul(rho);
        rho.close(); // autograd keeps its own reference for s's gradient
        NDArray out = x.add(step);
        step.close();
        return out;
    }
}
