package bitsweep.artifact;

/**
 * One row of the per-layer bit-width table (spec §7, §8.4) for a conv/linear layer.
 *
 * @param layer         layer name, e.g. {@code conv1}, {@code layer2.0.features.1}, {@code fc}
 * @param macs          MACs per example (spec §7.1)
 * @param inputBits     bits of the activation feeding this layer ({@code b_A}; 8 for the network input;
 *                      0 for layers outside the BOP groups)
 * @param weightBits    bits of this layer's weights (2…32; 32 for unquantized)
 * @param outputBits    bits of this layer's own activation quantizer (0 when it has none)
 * @param keptChannels  output channels whose pruning gate is on
 * @param channels      output channels
 * @param keepRatio     effective keep ratio {@code k_j} including the previous layer's pruning (§7.3)
 * @param bops          this layer's BOPs {@code b_A·b_W·k·MACs}
 */
public record LayerBits(String layer, long macs, int inputBits, int weightBits, int outputBits,
                        int keptChannels, int channels, double keepRatio, double bops) {
}
