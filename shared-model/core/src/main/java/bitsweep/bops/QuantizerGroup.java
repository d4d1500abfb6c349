package bitsweep.bops;

import bitsweep.quant.Quantizer;
import java.util.List;
import java.util.function.Supplier;

/**
 * A quantizer group (spec §5.2): the activation quantizer whose output feeds {@code layers}, or the
 * network input (always 8 bits) when {@code activation} is null. The supplier may return null for
 * an activation quantizer that was never created (FP32 prune-only), which BOPs count as 16 bits.
 */
public record QuantizerGroup(Supplier<Quantizer> activation, List<BopsLayer> layers) {

    public static QuantizerGroup networkInput(BopsLayer first) {
        return new QuantizerGroup(null, List.of(first));
    }

    public boolean fedByNetworkInput() {
        return activation == null;
    }
}
