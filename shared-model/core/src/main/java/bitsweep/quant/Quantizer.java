package bitsweep.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import bitsweep.artifact.QuantSpec;
import java.util.List;

/**
 * A fake-quantizer on a weight or activation tensor: the trainable Bayesian Bits quantizer or its
 * frozen fixed-bit form. Output is in the dequantised float32 domain.
 */
public sealed interface Quantizer permits BayesianBitsQuantizer, FixedBitQuantizer {

    /** Quantizes {@code x}; every per-call array is created on {@code x}'s manager. */
    NDArray quantize(NDArray x, boolean training);

    /** DJL parameters owned by this quantizer (registered by the enclosing block). */
    List<Parameter> parameters();

    /** Whether the range has been set from data (spec §4). */
    boolean initialized();

    boolean signed();

    /** Restores the non-parameter state (checkpoint resume). */
    void restoreState(boolean initialized, boolean signed);

    /** Current (unshrunk) {@code x_max}. */
    float xMax();

    /** Bit width of this quantizer for BOP accounting (spec §7.2), given the run's prune-only flag. */
    int bopBits(boolean pruneOnlyRun);

    /** Output-channel keep mask from deterministic pruning gates, or null when the quantizer has none. */
    boolean[] keepMask();

    /** The fixed-bit spec this quantizer is (or freezes to), or null for an unquantized (float) tensor. */
    QuantSpec frozenSpec();
}
