package bitsweep.bops;

import bitsweep.quant.Quantizer;

/** What BOP accounting needs to know about one conv/linear layer (spec §7). */
public interface BopsLayer {

    /** Layer name as reported in the bit table, e.g. {@code conv1} or {@code layer2.0.features.1}. */
    String name();

    /** MACs per example (spec §7.1). */
    long macs();

    int outChannels();

    /** The weight quantizer (current: Bayesian Bits or frozen), or null for float weights. */
    Quantizer weightQuantizer();

    /** The layer's own activation quantizer, or null when it has none. */
    Quantizer outputQuantizer();
}
