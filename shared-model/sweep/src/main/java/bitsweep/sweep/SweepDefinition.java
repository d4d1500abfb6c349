package bitsweep.sweep;

import java.util.List;
import java.util.Map;

/**
 * A sweep file after reading and type-checking, before expansion: every value keeps the position it
 * came from so that trial-level validation can point at the responsible key.
 */
record SweepDefinition(String name, String experiment, Map<String, Setting> base, String method, int runCap,
                       long sampleSeed, List<Axis> axes, List<Setting> seeds, List<Variant> variants,
                       int maxAttempts, int refineExtraTrials, java.time.Duration stallTimeout,
                       java.time.Duration maxTrialTime, Sweep.Metric metric) {

    static final String GRID = "grid";
    static final String RANDOM = "random";

    /** A typed flag value and where the file sets it. */
    record Setting(Object value, Pos pos) {
    }

    /**
     * A named set of flag overrides, e.g. {@code no-pruning: {include-pruning: false}}, and optionally its
     * own trial seeds ({@code seeds: [3, 4]} inside the variant; empty = the top-level {@code seeds}).
     */
    record Variant(String name, Pos pos, Map<String, Setting> overrides, List<Setting> seeds) {
    }

    /** One entry of {@code parameters:}. */
    sealed interface Axis permits Choice, Range {
        String flag();

        Pos pos();
    }

    /** {@code value}, {@code values} or {@code distribution: categorical}: a finite list of values. */
    record Choice(String flag, Pos pos, List<Setting> values) implements Axis {
    }

    /** {@code uniform}, {@code log_uniform_values} or {@code int_uniform} between min and max. */
    record Range(String flag, Pos pos, String distribution, double min, double max) implements Axis {
    }
}
