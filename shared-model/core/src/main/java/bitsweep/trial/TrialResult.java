package bitsweep.trial;

import bitsweep.artifact.LayerBits;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a finished trial; written as {@code result.json} in the trial directory.
 *
 * @param trialId          the trial's id
 * @param config           the resolved configuration that ran
 * @param history          one entry per epoch (Bayesian Bits, then fine-tuning)
 * @param top1             final test top-1 in percent (last evaluation, after fine-tuning if any)
 * @param relativeBops     final relative BOPs in percent
 * @param gbops            final absolute BOPs / 1e9
 * @param bitTable         final per-layer bit table
 * @param gateLogits       final gate logits per quantizer name ({@code log α_4 … log α_32}, and the
 *                         mean pruning logit under key suffix {@code .prune_mean})
 * @param artifact         path of the fixed-gate artifact, relative to the trial directory
 * @param wallSeconds      total wall time of the run (this attempt, including resumed epochs' work)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrialResult(String trialId, TrialConfig config, List<EpochMetrics> history, double top1,
                          double relativeBops, double gbops, List<LayerBits> bitTable,
                          Map<String, double[]> gateLogits, String artifact, double wallSeconds) {
    /** Its file in a trial's folder: the trainer writes it, the worker always sends it, the supervisor keeps it. */
    public static final String FILE_NAME = "result.json";

    /** This result without its per-epoch history: small enough for any cluster message. */
    public TrialResult summary() {
        return new TrialResult(trialId, config, null, top1, relativeBops, gbops, bitTable, gateLogits, artifact,
                wallSeconds);
    }
}
