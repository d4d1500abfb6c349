package bitsweep.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;

/**
 * Hard-concrete (L0) gates of Bayesian Bits (spec §3): training-time samples, the deterministic
 * test-time rule and the probabilities used by the regulariser. Constants are never changed.
 */
public final class HardConcrete {

    public static final double BETA = 2.0 / 3.0;
    public static final double GAMMA = -0.1;
    public static final double ZETA = 1.1;
    /** {@code β·ln(−γ/ζ) ≈ −1.598597}: P(z > 0) = σ(log α − this). */
    public static final double LOG_RATIO = BETA * Math.log(-GAMMA / ZETA);
    /** Gate is on at test time iff P(z = 0) is below this (spec §3.4). */
    public static final double OFF_PROBABILITY_THRESHOLD = 0.34;
    /** The hard "log α > −2, else stop" cut-off of spec §3.3. */
    public static final double CUTOFF = -2.0;

    private HardConcrete() {
    }

    static double sigmoid(double u) {
        return 1.0 / (1.0 + Math.exp(-u));
    }

    /** P(z = 0) = σ(β ln(−γ/ζ) − log α). */
    public static double probabilityOff(double logAlpha) {
        return sigmoid(LOG_RATIO - logAlpha);
    }

    /** P(z > 0) = σ(log α − β ln(−γ/ζ)). */
    public static double probabilityNonZero(double logAlpha) {
        return sigmoid(logAlpha - LOG_RATIO);
    }

    /** P(z = 1) = σ(log α − β ln((1−γ)/(ζ−1))); used by tests only. */
    public static double probabilityOne(double logAlpha) {
        return sigmoid(logAlpha - BETA * Math.log((1 - GAMMA) / (ZETA - 1)));
    }

    /** The deterministic (eval / BOP / freeze) gate: on iff P(z = 0) < 0.34. */
    public static boolean deterministicOn(double logAlpha) {
        return probabilityOff(logAlpha) < OFF_PROBABILITY_THRESHOLD;
    }

    /**
     * One hard-concrete sample per element of {@code logAlpha}, drawn on {@code manager} (the
     * per-batch manager): {@code z = clamp(σ((ln u − ln(1−u) + log α)/β)·(ζ−γ) + γ, 0, 1)}.
     * Gradients reach {@code logAlpha} through the reparameterisation.
     */
    public static NDArray sample(NDArray logAlpha, NDManager manager) {
        return sample(logAlpha, manager.randomUniform(0f, 1f, logAlpha.getShape()), manager);
    }

    /** {@link #sample(NDArray, NDManager)} with the uniform draws {@code u} given (same shape as {@code logAlpha}). */
    static NDArray sample(NDArray logAlpha, NDArray u, NDManager manager) {
        NDArray noise = u.log().sub(u.neg().add(Local.scalar(manager, 1f)).log());
        return stretch(Activation.sigmoid(noise.add(logAlpha).div(Local.scalar(manager, (float) BETA))));
    }

    /** Gating method {@code fixed}: {@code z = clamp(σ(log α/β)·(ζ−γ) + γ, 0, 1)} (logAlpha must live on the batch manager). */
    public static NDArray fixedGate(NDArray logAlpha) {
        return stretch(Activation.sigmoid(logAlpha.div(Local.scalar(logAlpha, (float) BETA))));
    }

    private static NDArray stretch(NDArray s) {
        return s.mul(Local.scalar(s, (float) (ZETA - GAMMA))).add(Local.scalar(s, (float) GAMMA)).clip(0f, 1f);
    }
}
