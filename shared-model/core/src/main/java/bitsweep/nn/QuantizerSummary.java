package bitsweep.nn;

/**
 * One row of the per-evaluation quantizer table (spec §8.4).
 *
 * @param name               e.g. {@code conv1.weight}, {@code conv1.output}, {@code layer1.0.output}
 * @param bits               deterministic bit width (BOP reading, spec §7.2)
 * @param meanProbabilityOff P(z_2 = 0) averaged over channels, or NaN without pruning gates
 * @param keptChannels       channels with deterministic z_2 = 1 (= channels without pruning gates)
 * @param channels           output channels (1 for activation quantizers)
 * @param gateProbabilities  σ(log α_k) for k = 4, 8, 16, 32 (empty for a frozen quantizer)
 * @param xMax               current range
 * @param signed             symmetric signed grid
 */
public record QuantizerSummary(String name, int bits, double meanProbabilityOff, int keptChannels, int channels,
                               double[] gateProbabilities, float xMax, boolean signed) {
}
