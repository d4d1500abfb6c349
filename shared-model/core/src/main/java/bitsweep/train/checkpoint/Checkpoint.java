package bitsweep.train.checkpoint;

import bitsweep.train.optim.GroupedOptimizer.SlotSnapshot;
import bitsweep.trial.EpochMetrics;
import bitsweep.trial.TrialConfig;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to continue a trial exactly where it stopped (taken after an epoch, after the
 * schedulers stepped).
 *
 * @param trialId          the trial's id
 * @param config           the resolved configuration (a resume must use the same one)
 * @param phase            {@code bayesian-bits} or {@code fine-tune}: which loop the next epoch belongs to
 * @param epochsDone       epochs completed so far (Bayesian Bits, then fine-tuning, counted together)
 * @param fineTuneIterations fine-tuning iterations done (position of the per-iteration cosine schedule)
 * @param history          metrics of every completed epoch
 * @param gateLogits       gate logits at the end of the Bayesian Bits phase (fine-tune phase only)
 * @param modelParameters  {@code Block.saveParameters} of the current network: every parameter
 *                         (weights, gate logits, ranges), BN running statistics and whatever
 *                         non-parameter state the model's blocks save as block metadata
 * @param bayesianBitsParameters the network at the end of the Bayesian Bits phase (fine-tune phase
 *                         only): resuming re-creates the fixed-gate network by freezing it again
 * @param optimizerSlots   per-parameter optimiser state of the active phase, by parameter name
 * @param wallSeconds      wall time spent on the trial before this checkpoint
 *
 * <p>RNG state is not serialised: every epoch reseeds the engine and the shuffler from
 * {@code (seed, epoch)}, so epoch {@code k+1} after a resume draws exactly what it would have drawn.
 */
public record Checkpoint(String trialId, TrialConfig config, String phase, int epochsDone,
                         long fineTuneIterations, List<EpochMetrics> history, Map<String, double[]> gateLogits,
                         byte[] modelParameters, byte[] bayesianBitsParameters,
                         Map<String, SlotSnapshot> optimizerSlots, double wallSeconds) {

    public static final String PHASE_BAYESIAN_BITS = "bayesian-bits";
    public static final String PHASE_FINE_TUNE = "fine-tune";
}
