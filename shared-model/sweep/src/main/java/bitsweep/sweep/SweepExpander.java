package bitsweep.sweep;

import bitsweep.sweep.SweepDefinition.Axis;
import bitsweep.sweep.SweepDefinition.Choice;
import bitsweep.sweep.SweepDefinition.Range;
import bitsweep.sweep.SweepDefinition.Setting;
import bitsweep.sweep.SweepDefinition.Variant;
import bitsweep.trial.InvalidTrialConfigException;
import bitsweep.trial.TrialConfig;
import bitsweep.trial.TrialFlag;
import bitsweep.trial.TrialFlags;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expands a sweep into trials: variants × (grid points or random samples) × seeds, in that nesting
 * order, with each trial's configuration = base ⊕ variant ⊕ axis values ⊕ seed, resolved against
 * the experiment preset. Axes are visited in flag-name order, so reordering keys in the file
 * changes neither the trials nor the random samples.
 */
public final class SweepExpander {
    private static final Logger LOG = LoggerFactory.getLogger(SweepExpander.class);
    /** Name of the single variant of a sweep without {@code variants:}. */
    public static final String DEFAULT_VARIANT = "base";
    /** Random samples are rounded to this many significant digits so ids and tables stay readable. */
    private static final MathContext SAMPLE_PRECISION = new MathContext(4);

    private SweepExpander() {
    }

    /**
     * A new trial like {@code base} with some flags changed (e.g. the frontier refinement adding a
     * MU value): re-resolved, validated, with the changed flags among its swept parameters and a
     * fresh id computed exactly as for trials expanded from the file, so a derived trial that equals
     * an expanded one gets the same id.
     *
     * @throws InvalidTrialConfigException naming the flag when an override is unknown or invalid
     */
    public static TrialSpec derive(TrialSpec base, Map<String, Object> overrides) {
        Map<String, Object> flags = TrialFlags.toMap(base.config());
        Map<String, Object> params = new TreeMap<>(base.params());
        for (Map.Entry<String, Object> e : new TreeMap<>(overrides).entrySet()) {
            Object value = TrialFlags.coerce(e.getKey(), e.getValue());
            flags.put(e.getKey(), value);
            params.put(e.getKey(), value);
        }
        TrialConfig resolved = TrialFlags.fromMap(flags).resolved();
        return new TrialSpec(TrialIds.of(base.variant(), resolved), base.sweep(), base.variant(),
                Collections.unmodifiableMap(new LinkedHashMap<>(params)), resolved);
    }

    /** Expands a read definition; trial-level problems (from {@code resolved()}) go to {@code problems}. */
    static List<TrialSpec> expand(SweepDefinition def, Problems problems) {
        List<TrialSpec> trials = new ArrayList<>();
        if (def.experiment() == null || def.method() == null) {
            return trials; // already reported; every trial would repeat the same complaint
        }
        List<Variant> variants = def.variants().isEmpty()
                ? List.of(new Variant(DEFAULT_VARIANT, Pos.START, Map.of(), List.of())) : def.variants();
        List<Axis> axes = new ArrayList<>(def.axes());
        axes.sort(Comparator.comparing(Axis::flag));
        List<Map<String, Setting>> points = def.method().equals(SweepDefinition.RANDOM)
                ? sample(axes, def.runCap(), def.sampleSeed()) : grid(axes);
        List<Setting> topSeeds = def.seeds().isEmpty() ? List.of(new Setting(0L, Pos.START)) : def.seeds();

        Map<String, Pos> ids = new HashMap<>();
        int expected = 0;
        for (Variant variant : variants) {
            List<Setting> seeds = variant.seeds().isEmpty() ? topSeeds : variant.seeds();
            expected += points.size() * seeds.size();
            for (Map<String, Setting> point : points) {
                for (Setting seed : seeds) {
                    Map<String, Setting> settings = new LinkedHashMap<>(def.base());
                    settings.putAll(variant.overrides());
                    settings.putAll(point);
                    settings.put("seed", seed);
                    TrialSpec trial = build(def.name(), variant, point, settings, problems);
                    if (trial != null) {
                        Pos first = ids.putIfAbsent(trial.trialId(), variant.pos());
                        if (first == null) {
                            trials.add(trial);
                        } else if (!def.method().equals(SweepDefinition.RANDOM)) {
                            problems.add(variant.pos(), "variants." + variant.name() + ": trial " + trial.trialId()
                                    + " is generated twice; make the variants or values differ");
                        }
                    }
                }
            }
        }
        if (def.method().equals(SweepDefinition.RANDOM) && problems.isEmpty() && trials.size() < expected) {
            LOG.warn("{}: random sampling drew {} duplicate points; each runs once ({} trials)", def.name(),
                    expected - trials.size(), trials.size());
        }
        return trials;
    }

    private static TrialSpec build(String sweep, Variant variant, Map<String, Setting> point,
                                   Map<String, Setting> settings, Problems problems) {
        Map<String, Object> values = new LinkedHashMap<>();
        settings.forEach((flag, s) -> values.put(flag, s.value()));
        TrialConfig resolved;
        try {
            resolved = TrialFlags.fromMap(values).resolved();
        } catch (InvalidTrialConfigException e) {
            for (String problem : e.problems()) {
                problems.add(locate(problem, settings, variant), problem);
            }
            return null;
        }
        Map<String, Object> params = new LinkedHashMap<>();
        point.forEach((flag, s) -> params.put(flag, s.value()));
        return new TrialSpec(TrialIds.of(variant.name(), resolved), sweep, variant.name(),
                Collections.unmodifiableMap(params), resolved);
    }

    /** Points a resolve problem ("flag: message") at the key that set the flag, else at the variant. */
    private static Pos locate(String problem, Map<String, Setting> settings, Variant variant) {
        int colon = problem.indexOf(':');
        String head = colon < 0 ? problem : problem.substring(0, colon);
        for (String token : head.split("[,/ ]+")) {
            Setting s = settings.get(token);
            if (s != null && s.pos() != Pos.START) {
                return s.pos();
            }
        }
        return variant.pos();
    }

    private static List<Map<String, Setting>> grid(List<Axis> axes) {
        List<Map<String, Setting>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        for (Axis axis : axes) {
            List<Map<String, Setting>> next = new ArrayList<>();
            for (Map<String, Setting> point : points) {
                for (Setting value : ((Choice) axis).values()) {
                    Map<String, Setting> p = new LinkedHashMap<>(point);
                    p.put(axis.flag(), value);
                    next.add(p);
                }
            }
            points = next;
        }
        return points;
    }

    private static List<Map<String, Setting>> sample(List<Axis> axes, int count, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Map<String, Setting>> points = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, Setting> p = new LinkedHashMap<>();
            for (Axis axis : axes) {
                if (axis instanceof Choice c) {
                    p.put(axis.flag(), c.values().get(rng.nextInt(c.values().size())));
                } else {
                    Range r = (Range) axis;
                    p.put(axis.flag(), new Setting(draw(r, rng), r.pos()));
                }
            }
            points.add(p);
        }
        return points;
    }

    private static Object draw(Range r, SplittableRandom rng) {
        Class<?> type = TrialFlag.named(r.flag()).type();
        double v = switch (r.distribution()) {
            case "int_uniform" -> (double) ((long) r.min() + rng.nextLong((long) r.max() - (long) r.min() + 1));
            case "log_uniform_values" -> Math.exp(Math.log(r.min()) + rng.nextDouble() * (Math.log(r.max())
                    - Math.log(r.min())));
            default -> r.min() + rng.nextDouble() * (r.max() - r.min());
        };
        if (!r.distribution().equals("int_uniform")) {
            v = Math.min(r.max(), Math.max(r.min(), new BigDecimal(v).round(SAMPLE_PRECISION).doubleValue()));
        }
        if (type == Integer.class) {
            return (int) v;
        }
        if (type == Long.class) {
            return (long) v;
        }
        return v;
    }
}
