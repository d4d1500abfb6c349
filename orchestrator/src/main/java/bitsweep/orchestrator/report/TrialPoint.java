package bitsweep.orchestrator.report;

import bitsweep.artifact.LayerBits;
import bitsweep.sweep.TrialRecord;
import bitsweep.trial.TrialConfig;
import java.util.List;
import java.util.Map;

/**
 * A completed trial as the frontier sees it: one point in (relative BOPs, top-1) plus what the
 * tables need.
 *
 * @param trialId      the trial's id
 * @param variant      the trial's variant ({@link #DEFAULT_VARIANT} when the sweep has none)
 * @param mu           the gating lambda (MU) or null when unknown
 * @param seed         the seed or null when unknown
 * @param top1         test top-1 in percent
 * @param relativeBops relative BOPs in percent
 * @param gbops        absolute BOPs / 1e9
 * @param layers       per-layer bit table (empty when the trainer gave none)
 * @param artifact     fixed-gate artifact path relative to the results folder, or null
 * @param dataDir      the data folder from the trial's config (for validation), or null
 */
public record TrialPoint(String trialId, String variant, Double mu, Long seed, double top1, double relativeBops,
                         double gbops, List<LayerBits> layers, String artifact, String dataDir) {

    public static final String DEFAULT_VARIANT = "default";

    /** Builds the point of a completed record; the caller has checked {@code result != null}. */
    public static TrialPoint of(TrialRecord record) {
        var spec = record.spec();
        var result = record.result();
        TrialConfig config = spec.config() != null ? spec.config() : result.config();
        Double mu = config != null && config.gatingLambda() != null
                ? config.gatingLambda() : number(spec.params(), "gating-lambda");
        Double seedParam = number(spec.params(), "seed");
        Long seed = config != null && config.seed() != null ? config.seed()
                : seedParam == null ? null : seedParam.longValue();
        String variant = spec.variant() == null || spec.variant().isBlank() ? DEFAULT_VARIANT : spec.variant();
        String artifact = record.artifact();
        List<LayerBits> layers = result.bitTable() == null ? List.of() : List.copyOf(result.bitTable());
        return new TrialPoint(spec.trialId(), variant, mu, seed, result.top1(), result.relativeBops(),
                result.gbops(), layers, artifact, config == null ? null : config.dataDir());
    }

    /** True when both coordinates are finite numbers (NaN accuracy marks a broken run). */
    public boolean isFinite() {
        return Double.isFinite(top1) && Double.isFinite(relativeBops);
    }

    private static Double number(Map<String, Object> params, String key) {
        if (params == null) {
            return null;
        }
        Object value = params.get(key);
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
