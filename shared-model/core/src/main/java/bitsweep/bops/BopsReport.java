package bitsweep.bops;

import bitsweep.artifact.LayerBits;
import java.util.List;

/**
 * Relative BOPs of a model under its deterministic gates (spec §7).
 *
 * @param bops         Σ b_A·b_W·k·MACs
 * @param baselineBops Σ 32·32·MACs over all conv/linear layers
 * @param layers       one row per conv/linear layer, in module order
 */
public record BopsReport(double bops, double baselineBops, List<LayerBits> layers) {

    /** Relative BOPs in percent. */
    public double relativeBops() {
        return 100.0 * bops / baselineBops;
    }

    public double gbops() {
        return bops / 1e9;
    }
}
