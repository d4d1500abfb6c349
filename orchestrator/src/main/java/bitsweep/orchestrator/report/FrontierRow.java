package bitsweep.orchestrator.report;

import bitsweep.artifact.LayerBits;
import java.util.List;

/**
 * One frontier model as written to {@code frontier.csv} / {@code frontier.json}.
 *
 * @param trialId      the trial
 * @param variant      its variant
 * @param mu           gating lambda (MU), null when unknown
 * @param seed         seed, null when unknown
 * @param top1         test top-1 in percent
 * @param relativeBops relative BOPs in percent
 * @param gbops        BOPs / 1e9
 * @param layers       per-layer bit widths and kept channels
 * @param model        {@code models/<trial>.onnx} or null when not exported
 * @param validation   {@code pass}, {@code mismatch}, {@code error} or {@code not-validated}
 */
public record FrontierRow(String trialId, String variant, Double mu, Long seed, double top1, double relativeBops,
                          double gbops, List<Layer> layers, String model, String validation) {

    /**
     * @param layer        layer name
     * @param weightBits   weight bit width
     * @param inputBits    bit width of the activation feeding the layer (b_A)
     * @param outputBits   bit width of the layer's own activation quantizer (0: none)
     * @param keptChannels output channels kept
     * @param channels     output channels
     * @param keptRatio    keptChannels / channels
     */
    public record Layer(String layer, int weightBits, int inputBits, int outputBits, int keptChannels,
                        int channels, double keptRatio) {
        static Layer of(LayerBits b) {
            double ratio = b.channels() == 0 ? 0.0 : (double) b.keptChannels() / b.channels();
            return new Layer(b.layer(), b.weightBits(), b.inputBits(), b.outputBits(), b.keptChannels(),
                    b.channels(), ratio);
        }
    }

    static FrontierRow of(TrialPoint p, SweepReport report) {
        return new FrontierRow(p.trialId(), p.variant(), p.mu(), p.seed(), p.top1(), p.relativeBops(), p.gbops(),
                p.layers().stream().map(Layer::of).toList(), report.modelPath(p.trialId()),
                report.validationStatus(p.trialId()));
    }
}
