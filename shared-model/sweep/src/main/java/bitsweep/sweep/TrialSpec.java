package bitsweep.sweep;

import bitsweep.trial.TrialConfig;
import java.util.Map;

/**
 * One trial of a sweep after expansion.
 *
 * @param trialId  stable id derived from the resolved parameters (same file → same ids)
 * @param sweep    the sweep's name
 * @param variant  the variant's name (e.g. {@code pruning}, {@code no-pruning})
 * @param params   the values of the swept axes (flag name → value), for tables and plots
 * @param config   the full trial configuration (base + variant + axes + seed)
 */
public record TrialSpec(String trialId, String sweep, String variant, Map<String, Object> params,
                        TrialConfig config) {
}
