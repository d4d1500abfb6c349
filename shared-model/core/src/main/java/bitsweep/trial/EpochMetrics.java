package bitsweep.trial;

import bitsweep.artifact.LayerBits;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What one epoch produced.
 *
 * @param epoch          1-based epoch; fine-tuning epochs continue the count
 * @param phase          {@code "bayesian-bits"} or {@code "fine-tune"}
 * @param trainLoss      mean total loss over the epoch's batches
 * @param trainCe        mean cross-entropy
 * @param trainReg       mean Σ R (unscaled by MU)
 * @param top1           test top-1 in percent, or null when this epoch was not evaluated
 * @param relativeBops   relative BOPs in percent (spec §7), from deterministic gates
 * @param gbops          absolute BOPs / 1e9
 * @param bitTable       per-layer bits and keep ratios
 * @param imagesPerSecond training throughput of the epoch
 * @param seconds        wall time of the epoch including evaluation
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EpochMetrics(int epoch, String phase, double trainLoss, double trainCe, double trainReg,
                           Double top1, double relativeBops, double gbops, List<LayerBits> bitTable,
                           double imagesPerSecond, double seconds) {
}
