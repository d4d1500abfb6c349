package bitsweep.trial;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Every setting of one Bayesian Bits trial: one component per {@link TrialFlag}, in the table's order,
 * with the flag's name as JSON name and the flag's type ({@code TrialFlagTableTest} pins that). The
 * table, not this record, is where a flag is declared; this record is the typed holder the training
 * code reads, and its JSON form is what travels to workers, into {@code result.json} and, through
 * {@code bitsweep.sweep.TrialIds}, into trial ids, so it must not change for existing flags.
 *
 * <p>Boxed fields are nullable: {@code null} means "take the experiment preset" (the paper's README
 * command for that experiment, spec §8.2), see {@link #resolved()}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = false)
public record TrialConfig(
        @JsonProperty("experiment") String experiment,
        @JsonProperty("model") String model,
        @JsonProperty("data-dir") String dataDir,
        @JsonProperty("method") String method,
        @JsonProperty("gating-method") String gatingMethod,
        @JsonProperty("gamma-4-init") Double gamma4Init,
        @JsonProperty("gamma-8-init") Double gamma8Init,
        @JsonProperty("gamma-16-init") Double gamma16Init,
        @JsonProperty("gamma-32-init") Double gamma32Init,
        @JsonProperty("gating-lambda") Double gatingLambda,
        @JsonProperty("learning-rate") Double learningRate,
        @JsonProperty("learning-rate-q") Double learningRateQ,
        @JsonProperty("learning-rate-s") Double learningRateS,
        @JsonProperty("optimizer") String optimizer,
        @JsonProperty("optimizer-q") String optimizerQ,
        @JsonProperty("optimizer-s") String optimizerS,
        @JsonProperty("momentum") Double momentum,
        @JsonProperty("batch-size") Integer batchSize,
        @JsonProperty("epochs") Integer epochs,
        @JsonProperty("eval-every") Integer evalEvery,
        @JsonProperty("learned-scale") String learnedScale,
        @JsonProperty("include-pruning") Boolean includePruning,
        @JsonProperty("reg-type") String regType,
        @JsonProperty("lr-schedule") String lrSchedule,
        @JsonProperty("fixed-gate-finetune-epochs") Integer fixedGateFinetuneEpochs,
        @JsonProperty("prune-only") Boolean pruneOnly,
        @JsonProperty("fixed-8bit") Boolean fixed8bit,
        @JsonProperty("fixed-48bit") Boolean fixed48bit,
        @JsonProperty("pretrained") String pretrained,
        @JsonProperty("weight-decay") Double weightDecay,
        @JsonProperty("seed") Long seed,
        @JsonProperty("limit-train") Integer limitTrain,
        @JsonProperty("limit-test") Integer limitTest,
        @JsonProperty("checkpoint-every") Integer checkpointEvery,
        @JsonProperty("gate-samples") Integer gateSamples) {

    /**
     * Returns a copy with every null field filled from the experiment preset (spec §8.2) and then
     * from the reference defaults (spec Appendix A), validated. Implemented by {@link TrialPresets}.
     */
    public TrialConfig resolved() {
        return TrialPresets.resolve(this);
    }
}
