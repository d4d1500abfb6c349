package bitsweep.orchestrator.supervisor;

import bitsweep.sweep.SweepExpander;
import bitsweep.sweep.TrialSpec;
import bitsweep.trial.InvalidTrialConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Expands "add these MU values and/or seeds" against the trials a sweep already has, as the sweep file
 * would have if it had listed them: the trials are grouped by variant and swept point (every swept value
 * except MU and seed); each group gets the trials of (its MUs ∪ new MUs) × (its seeds ∪ new seeds) it does
 * not have yet. Ids come from {@link SweepExpander#derive}, so they are the ids the file would give.
 */
final class SweepExtension {
    static final String MU = "gating-lambda";
    static final String SEED = "seed";
    /** Bounds what one request may add: a typo must not queue a million trials. */
    static final int MAX_VALUES = 64;
    static final int MAX_NEW_TRIALS = 1000;

    private SweepExtension() {
    }

    /**
     * The new trials, in group order then MU then seed; empty when every combination exists.
     *
     * @throws IllegalArgumentException naming the value and what is expected, for bad input
     */
    static List<TrialSpec> expand(Iterable<TrialEntry> existing, List<Double> mus, List<Long> seeds) {
        List<Double> newMus = mus == null ? List.of() : mus;
        List<Long> newSeeds = seeds == null ? List.of() : seeds;
        validate(newMus, newSeeds);
        Map<String, Group> groups = new LinkedHashMap<>();
        Set<String> ids = new LinkedHashSet<>();
        for (TrialEntry t : existing) {
            TrialSpec spec = t.spec();
            ids.add(spec.trialId());
            Group g = groups.computeIfAbsent(groupKey(spec), k -> new Group(spec));
            g.mus.add(spec.config().gatingLambda()); // null: the trial's own default MU
            g.seeds.add(spec.config().seed() == null ? 0L : spec.config().seed());
        }
        List<TrialSpec> out = new ArrayList<>();
        for (Group g : groups.values()) {
            Set<Double> allMus = new LinkedHashSet<>(g.mus);
            allMus.addAll(newMus);
            Set<Long> allSeeds = new LinkedHashSet<>(g.seeds);
            allSeeds.addAll(newSeeds);
            for (Double mu : allMus) {
                for (long seed : allSeeds) {
                    if (g.mus.contains(mu) && g.seeds.contains(seed)) {
                        continue; // the grid already had this point (its id may even differ: same config)
                    }
                    TrialSpec spec = derive(g.base, mu, seed);
                    if (ids.add(spec.trialId())) {
                        out.add(spec);
                        if (out.size() > MAX_NEW_TRIALS) {
                            throw new IllegalArgumentException("this extension would add more than " + MAX_NEW_TRIALS
                                    + " trials; add fewer MU values or seeds at a time");
                        }
                    }
                }
            }
        }
        return out;
    }

    private static void validate(List<Double> mus, List<Long> seeds) {
        if (mus.isEmpty() && seeds.isEmpty()) {
            throw new IllegalArgumentException("nothing to add: give at least one MU value or seed");
        }
        if (mus.size() > MAX_VALUES || seeds.size() > MAX_VALUES) {
            throw new IllegalArgumentException("at most " + MAX_VALUES + " MU values and " + MAX_VALUES
                    + " seeds per extension (got " + mus.size() + " and " + seeds.size() + ")");
        }
        for (Double mu : mus) {
            if (mu == null || !Double.isFinite(mu) || mu < 0) {
                throw new IllegalArgumentException("MU must be a finite number >= 0, got " + mu);
            }
        }
        for (Long seed : seeds) {
            if (seed == null || seed < 0) {
                throw new IllegalArgumentException("seeds must be integers >= 0, got " + seed);
            }
        }
    }

    private static TrialSpec derive(TrialSpec base, Double mu, long seed) {
        TrialSpec spec;
        try {
            spec = SweepExpander.derive(base, mu == null ? Map.of(SEED, seed) : Map.of(MU, mu, SEED, seed));
        } catch (InvalidTrialConfigException e) {
            throw new IllegalArgumentException("MU " + mu + ", seed " + seed + ": " + String.join("; ", e.problems()));
        }
        if (base.params().containsKey(SEED)) {
            return spec;
        }
        // as the file's trials: the seed is not a swept parameter (tables show it from the config)
        Map<String, Object> params = new LinkedHashMap<>(spec.params());
        params.remove(SEED);
        return new TrialSpec(spec.trialId(), spec.sweep(), spec.variant(), java.util.Collections.unmodifiableMap(params),
                spec.config());
    }

    /** Variant plus every swept value except MU and seed. */
    private static String groupKey(TrialSpec spec) {
        Map<String, Object> point = new TreeMap<>(spec.params());
        point.remove(MU);
        point.remove(SEED);
        return spec.variant() + "|" + point;
    }

    private static final class Group {
        final TrialSpec base;
        final Set<Double> mus = new LinkedHashSet<>();
        final Set<Long> seeds = new LinkedHashSet<>();

        Group(TrialSpec base) {
            this.base = base;
        }
    }
}
