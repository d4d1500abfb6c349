package bitsweep.quant;

/**
 * Construction settings of one Bayesian Bits quantizer (spec §2, §10).
 *
 * @param gatingMethod   training-time gate rule
 * @param learnedScale   range / scale / none
 * @param gateInit       initial {@code log α} for the 4, 8, 16 and 32-bit steps
 * @param pruneChannels  number of per-output-channel pruning gates ({@code 0} = no pruning gates)
 * @param pruneOnly      spec §2.6 {@code prune_only}
 * @param fixedBits      {@code 0} (Bayesian Bits gates), {@code 8} or {@code 4} (spec §2.6 fixed modes)
 */
public record QuantizerSettings(GatingMethod gatingMethod, LearnedScale learnedScale, double[] gateInit,
                                int pruneChannels, boolean pruneOnly, int fixedBits) {

    /** Initial value of every pruning logit (hard-coded in the reference). */
    public static final float PRUNE_INIT = 6.0f;

    public QuantizerSettings {
        if (gateInit.length != 4) {
            throw new IllegalArgumentException("gateInit: expected 4 values (4, 8, 16, 32 bits), got " + gateInit.length);
        }
        if (fixedBits != 0 && fixedBits != 4 && fixedBits != 8) {
            throw new IllegalArgumentException("fixedBits: expected 0, 4 or 8, got " + fixedBits);
        }
        if (pruneChannels < 0) {
            throw new IllegalArgumentException("pruneChannels: expected >= 0, got " + pruneChannels);
        }
        gateInit = gateInit.clone();
    }

    /** Plain Bayesian Bits quantizer with l0 gates and a learned range. */
    public static QuantizerSettings standard(double[] gateInit, int pruneChannels) {
        return new QuantizerSettings(GatingMethod.L0, LearnedScale.RANGE, gateInit, pruneChannels, false, 0);
    }

    public QuantizerSettings withPruneChannels(int channels) {
        return new QuantizerSettings(gatingMethod, learnedScale, gateInit, channels, pruneOnly, fixedBits);
    }

    public QuantizerSettings withPruneOnly(boolean value) {
        return new QuantizerSettings(gatingMethod, learnedScale, gateInit, pruneChannels, value, fixedBits);
    }

    public QuantizerSettings withFixedBits(int bits) {
        return new QuantizerSettings(gatingMethod, learnedScale, gateInit, pruneChannels, pruneOnly, bits);
    }
}
