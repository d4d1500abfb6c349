package bitsweep.sweep;

import bitsweep.sweep.SweepDefinition.Axis;
import bitsweep.sweep.SweepDefinition.Choice;
import bitsweep.sweep.SweepDefinition.Range;
import bitsweep.sweep.SweepDefinition.Setting;
import bitsweep.sweep.SweepDefinition.Variant;
import bitsweep.trial.TrialFlag;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Walks the YAML node tree of a sweep file and type-checks every key against the format (see
 * {@code docs/sweep-files.md}). Never stops at the first problem: each one goes to {@link Problems}
 * with its position, and the walk carries on with the rest of the file.
 */
final class SweepReader {
    /** The trial flags a sweep file sets once, at the top level ({@link TrialFlag.InSweepFile#SWEEP_WIDE}). */
    private static final List<TrialFlag> SWEEP_WIDE = Stream.of(TrialFlag.values())
            .filter(f -> f.inSweepFile() == TrialFlag.InSweepFile.SWEEP_WIDE).toList();
    static final Set<String> TOP_KEYS = Stream.concat(Stream.of("name", "description", "method", "parameters",
            "run_cap", "seed", "seeds", "variants", "base", "max-attempts", "refine", "stall-timeout",
            "max-trial-time", "metric", "project", "entity", "program", "command", "early_terminate"),
            SWEEP_WIDE.stream().map(TrialFlag::flagName)).collect(Collectors.toUnmodifiableSet());
    /** W&B sweep keys that mean nothing here (W&B's server, W&B's launcher): read, noted, ignored. */
    static final Set<String> WANDB_IGNORED = Set.of("project", "entity", "program", "command");
    static final Set<String> METRIC_KEYS = Set.of("name", "goal", "target");
    /** What a trial reports that a {@code metric:} may name, and the goal each has when none is given. */
    static final Map<String, String> METRICS = Map.of("top1", "maximize", "relative-bops", "minimize",
            "gbops", "minimize");
    /** Shortest accepted stall-timeout: below it, a slow evaluation or a GC pause could abort a healthy attempt. */
    static final java.time.Duration MIN_STALL_TIMEOUT = java.time.Duration.ofSeconds(1);
    static final Set<String> AXIS_KEYS = Set.of("value", "values", "distribution", "min", "max");
    static final Set<String> DISTRIBUTIONS = Set.of("categorical", "uniform", "log_uniform_values", "int_uniform");
    static final Set<String> REFINE_KEYS = Set.of("extra-trials");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Set<String> EXPERIMENTS = Set.copyOf(TrialFlag.EXPERIMENT.choices());

    private final Problems problems;
    private final EnvExpander env;

    SweepReader(Problems problems, EnvExpander env) {
        this.problems = problems;
        this.env = env;
    }

    /** Reads the definition; returns empty only where the file is too broken to continue. */
    Optional<SweepDefinition> read(Node root, String defaultName) {
        Map<String, NodeTuple> top = mapping(root, "the sweep file");
        if (top == null) {
            return Optional.empty();
        }
        checkKeys(top, TOP_KEYS, "top-level key");

        String name = optionalName(top.get("name"), "name", defaultName);
        if (top.containsKey("description")) {
            string(top.get("description").getValueNode(), "description");
        }
        for (String key : WANDB_IGNORED) {
            if (top.containsKey(key)) {
                org.slf4j.LoggerFactory.getLogger(SweepReader.class).info("sweep file: '{}' is a W&B key for W&B's "
                        + "own service or launcher; BitSweep runs its own trainer and ignores it", key);
            }
        }
        if (top.containsKey("early_terminate")) {
            problems.add(Pos.of(top.get("early_terminate").getKeyNode()), "early_terminate: not supported: every "
                    + "trial runs to the end, because a Bayesian Bits trial's BOPs and accuracy are only known once "
                    + "its gates have settled (stopping early would cut exactly the low-BOP trials the frontier "
                    + "needs); bound an attempt's time with 'max-trial-time' instead");
        }
        Sweep.Metric metric = readMetric(top.get("metric"));
        String experiment = null;
        NodeTuple exp = top.get("experiment");
        if (exp == null) {
            problems.add(Pos.of(root), "missing required key 'experiment'; expected one of "
                    + String.join(", ", new TreeSet<>(EXPERIMENTS)));
        } else {
            experiment = string(exp.getValueNode(), "experiment");
            if (experiment != null && !EXPERIMENTS.contains(experiment)) {
                problems.add(Pos.of(exp.getValueNode()), "experiment: expected one of "
                        + String.join(", ", new TreeSet<>(EXPERIMENTS)) + ", got '" + experiment + "'"
                        + hint(experiment, EXPERIMENTS));
                experiment = null;
            }
        }

        Map<String, Setting> base = new LinkedHashMap<>();
        if (experiment != null) {
            base.put("experiment", new Setting(experiment, Pos.of(exp.getValueNode())));
        }
        for (TrialFlag f : SWEEP_WIDE) {
            NodeTuple t = top.get(f.flagName());
            if (t != null && f != TrialFlag.EXPERIMENT) { // the experiment is read and checked above
                Object v = flagValue(f.flagName(), t.getValueNode());
                if (v != null) {
                    base.put(f.flagName(), new Setting(v, Pos.of(t.getValueNode())));
                }
            }
        }
        if (top.containsKey("base")) {
            base.putAll(flagMap(top.get("base").getValueNode(), "base"));
        }

        String method = readMethod(top, root);
        int runCap = readRunCap(top, method);
        long sampleSeed = 0;
        NodeTuple seedKey = top.get("seed");
        if (seedKey != null) {
            if (SweepDefinition.GRID.equals(method)) {
                problems.add(Pos.of(seedKey.getKeyNode()), "seed: the sampling seed applies to method: random only; "
                        + "list trial seeds in 'seeds: [..]'");
            }
            Long s = integer(seedKey.getValueNode(), "seed", 0, Long.MAX_VALUE);
            sampleSeed = s == null ? 0 : s;
        }

        List<Axis> axes = new ArrayList<>();
        if (top.containsKey("parameters")) {
            axes = readParameters(top.get("parameters").getValueNode(), method);
        }
        Set<String> swept = new HashSet<>();
        axes.forEach(a -> swept.add(a.flag()));
        for (String flag : swept) {
            Setting inBase = base.get(flag);
            if (inBase != null) {
                problems.add(inBase.pos(), flag + ": also swept in 'parameters'; set it in one place only");
            }
        }

        List<Setting> seeds = readSeeds(top.get("seeds"));
        List<Variant> variants = readVariants(top.get("variants"), swept);
        int maxAttempts = 3;
        if (top.containsKey("max-attempts")) {
            Long m = integer(top.get("max-attempts").getValueNode(), "max-attempts", 1, 100);
            maxAttempts = m == null ? maxAttempts : m.intValue();
        }
        int extraTrials = readRefine(top.get("refine"));
        java.time.Duration stall = duration(top.get("stall-timeout"), "stall-timeout", true);
        java.time.Duration maxTime = duration(top.get("max-trial-time"), "max-trial-time", false);
        return Optional.of(new SweepDefinition(name, experiment, base, method, runCap, sampleSeed, axes, seeds,
                variants, maxAttempts, extraTrials, stall, maxTime, metric));
    }

    private String readMethod(Map<String, NodeTuple> top, Node root) {
        NodeTuple m = top.get("method");
        if (m == null) {
            problems.add(Pos.of(root), "missing required key 'method'; expected grid or random");
            return null;
        }
        String method = string(m.getValueNode(), "method");
        if (method == null) {
            return null;
        }
        if (method.equals("bayes")) {
            problems.add(Pos.of(m.getValueNode()), "method: bayes is not supported: BitSweep does not model one "
                    + "metric, it fills the accuracy-vs-BOPs frontier; use method: grid with 'refine: "
                    + "{extra-trials: N}' (extra MU values where the frontier has the widest gaps), or method: random "
                    + "with run_cap");
            return null;
        }
        if (!method.equals(SweepDefinition.GRID) && !method.equals(SweepDefinition.RANDOM)) {
            problems.add(Pos.of(m.getValueNode()), "method: expected grid or random, got '" + method + "'");
            return null;
        }
        return method;
    }

    private int readRunCap(Map<String, NodeTuple> top, String method) {
        NodeTuple cap = top.get("run_cap");
        if (cap == null) {
            if (SweepDefinition.RANDOM.equals(method)) {
                problems.add(Pos.of(top.get("method").getValueNode()), "method: random requires 'run_cap' "
                        + "(the number of sampled points, an integer >= 1)");
            }
            return 0;
        }
        if (SweepDefinition.GRID.equals(method)) {
            problems.add(Pos.of(cap.getKeyNode()), "run_cap: applies to method: random only; a grid runs every "
                    + "combination");
        }
        Long v = integer(cap.getValueNode(), "run_cap", 1, 100_000);
        return v == null ? 0 : v.intValue();
    }

    private List<Axis> readParameters(Node node, String method) {
        Map<String, NodeTuple> params = mapping(node, "parameters");
        List<Axis> axes = new ArrayList<>();
        if (params == null) {
            return axes;
        }
        for (NodeTuple t : params.values()) {
            String flag = ((ScalarNode) t.getKeyNode()).getValue();
            if (!checkFlagName(flag, t.getKeyNode(), "parameters")) {
                continue;
            }
            Axis axis = readAxis(flag, t.getValueNode(), method);
            if (axis != null) {
                axes.add(axis);
            }
        }
        return axes;
    }

    private Axis readAxis(String flag, Node node, String method) {
        Map<String, NodeTuple> spec = mapping(node, "parameters." + flag
                + " (expected {value: X}, {values: [..]} or {distribution: D, min: A, max: B})");
        if (spec == null) {
            return null;
        }
        checkKeys(spec, AXIS_KEYS, "key in parameters." + flag);
        Pos pos = Pos.of(node);
        String distribution = null;
        if (spec.containsKey("distribution")) {
            Node d = spec.get("distribution").getValueNode();
            distribution = string(d, "parameters." + flag + ".distribution");
            if (distribution != null && !DISTRIBUTIONS.contains(distribution)) {
                problems.add(Pos.of(d), "parameters." + flag + ".distribution: expected one of categorical, uniform, "
                        + "log_uniform_values, int_uniform, got '" + distribution + "'" + hint(distribution, DISTRIBUTIONS));
                return null;
            }
            if (distribution == null) {
                return null;
            }
        }
        boolean hasValue = spec.containsKey("value");
        boolean hasValues = spec.containsKey("values");
        boolean hasRange = spec.containsKey("min") || spec.containsKey("max");
        String where = "parameters." + flag;
        if (distribution == null || distribution.equals("categorical")) {
            if (hasRange) {
                problems.add(pos, where + ": min/max need 'distribution: uniform', 'log_uniform_values' or "
                        + "'int_uniform'");
                return null;
            }
            if (hasValue == hasValues || (distribution != null && hasValue)) {
                problems.add(pos, where + ": expected exactly one of 'value: X' or 'values: [X, Y, ..]'"
                        + (distribution != null ? " (categorical needs 'values')" : ""));
                return null;
            }
            if (hasValue) {
                Node v = spec.get("value").getValueNode();
                Object value = flagValue(flag, v);
                return value == null ? null : new Choice(flag, pos, List.of(new Setting(value, Pos.of(v))));
            }
            return readValues(flag, spec.get("values").getValueNode(), where);
        }
        if (hasValue || hasValues) {
            problems.add(pos, where + ": distribution '" + distribution + "' takes min and max, not value/values");
            return null;
        }
        if (SweepDefinition.GRID.equals(method)) {
            problems.add(Pos.of(spec.get("distribution").getValueNode()), where + ": method: grid cannot use "
                    + "distribution '" + distribution + "'; list the points with 'values: [..]' or use method: random");
            return null;
        }
        return readRange(flag, spec, pos, distribution, where);
    }

    private Axis readValues(String flag, Node node, String where) {
        if (!(node instanceof SequenceNode seq)) {
            problems.add(Pos.of(node), where + ".values: expected a list like [0.01, 0.1], got " + kind(node));
            return null;
        }
        if (seq.getValue().isEmpty()) {
            problems.add(Pos.of(node), where + ".values: empty list; expected at least one value");
            return null;
        }
        List<Setting> values = new ArrayList<>();
        Map<Object, Pos> seen = new HashMap<>();
        for (Node item : seq.getValue()) {
            Object v = flagValue(flag, item);
            if (v == null) {
                continue;
            }
            Pos first = seen.putIfAbsent(v, Pos.of(item));
            if (first != null) {
                problems.add(Pos.of(item), where + ".values: duplicate value " + v + " (first at " + first + ")");
                continue;
            }
            values.add(new Setting(v, Pos.of(item)));
        }
        // Bad entries are already reported; keep the good ones so their trials are still checked.
        return values.isEmpty() ? null : new Choice(flag, Pos.of(node), values);
    }

    private Axis readRange(String flag, Map<String, NodeTuple> spec, Pos pos, String distribution, String where) {
        Class<?> type = TrialFlag.named(flag).type();
        boolean integral = distribution.equals("int_uniform");
        if (!integral && type != Double.class) {
            problems.add(pos, where + ": distribution '" + distribution + "' samples real numbers but '" + flag
                    + "' expects " + TrialFlag.named(flag).expected()
                    + (type == Integer.class || type == Long.class ? "; use int_uniform" : "; use values: [..]"));
            return null;
        }
        if (integral && type != Double.class && type != Integer.class && type != Long.class) {
            problems.add(pos, where + ": int_uniform samples integers but '" + flag + "' expects "
                    + TrialFlag.named(flag).expected() + "; use values: [..]");
            return null;
        }
        Double min = bound(spec, "min", pos, where, integral);
        Double max = bound(spec, "max", pos, where, integral);
        if (min == null || max == null) {
            return null;
        }
        if (!(min < max)) {
            problems.add(Pos.of(spec.get("min").getValueNode()), where + ": min (" + fmt(min)
                    + ") must be less than max (" + fmt(max) + ")");
            return null;
        }
        if (distribution.equals("log_uniform_values") && min <= 0) {
            problems.add(Pos.of(spec.get("min").getValueNode()), where + ": log_uniform_values needs min > 0, got "
                    + fmt(min));
            return null;
        }
        return new Range(flag, pos, distribution, min, max);
    }

    private Double bound(Map<String, NodeTuple> spec, String key, Pos pos, String where, boolean integral) {
        NodeTuple t = spec.get(key);
        if (t == null) {
            problems.add(pos, where + ": missing required key '" + key + "' for the distribution");
            return null;
        }
        Node n = t.getValueNode();
        if (integral) {
            Long v = integer(n, where + "." + key, Integer.MIN_VALUE, Integer.MAX_VALUE);
            return v == null ? null : v.doubleValue();
        }
        Double v = number(n, where + "." + key);
        if (v != null && !Double.isFinite(v)) {
            problems.add(Pos.of(n), where + "." + key + ": expected a finite number, got " + v);
            return null;
        }
        return v;
    }

    private List<Setting> readSeeds(NodeTuple t) {
        return readSeeds(t, "seeds");
    }

    private static NodeTuple tuple(MappingNode m, String key) {
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return t;
            }
        }
        return null;
    }

    private List<Setting> readSeeds(NodeTuple t, String key) {
        List<Setting> seeds = new ArrayList<>();
        if (t == null) {
            return seeds;
        }
        Node node = t.getValueNode();
        if (!(node instanceof SequenceNode seq)) {
            problems.add(Pos.of(node), key + ": expected a list of integers like [0, 1, 2], got " + kind(node));
            return seeds;
        }
        if (seq.getValue().isEmpty()) {
            problems.add(Pos.of(node), key + ": empty list; expected at least one integer seed");
        }
        Map<Long, Pos> seen = new HashMap<>();
        for (Node item : seq.getValue()) {
            Long s = integer(item, key, 0, Long.MAX_VALUE);
            if (s == null) {
                continue;
            }
            Pos first = seen.putIfAbsent(s, Pos.of(item));
            if (first != null) {
                problems.add(Pos.of(item), key + ": duplicate seed " + s + " (first at " + first + ")");
                continue;
            }
            seeds.add(new Setting(s, Pos.of(item)));
        }
        return seeds;
    }

    private List<Variant> readVariants(NodeTuple t, Set<String> swept) {
        List<Variant> variants = new ArrayList<>();
        if (t == null) {
            return variants;
        }
        Map<String, NodeTuple> map = mapping(t.getValueNode(), "variants (expected name: {flag: value, ..})");
        if (map == null) {
            return variants;
        }
        if (map.isEmpty()) {
            problems.add(Pos.of(t.getValueNode()), "variants: empty; expected at least one named variant, "
                    + "e.g. pruning: {include-pruning: true}");
        }
        for (NodeTuple v : map.values()) {
            String name = ((ScalarNode) v.getKeyNode()).getValue();
            if (!NAME.matcher(name).matches()) {
                problems.add(Pos.of(v.getKeyNode()), "variants: name '" + name + "' must be 1-64 letters, digits, "
                        + "'.', '_' or '-' (it becomes part of trial ids)");
                continue;
            }
            // 'seeds' in a variant replaces the top-level list for that variant's trials only
            NodeTuple ownSeeds = v.getValueNode() instanceof MappingNode m ? tuple(m, "seeds") : null;
            List<Setting> seeds = ownSeeds == null ? List.of() : readSeeds(ownSeeds, "variants." + name + ".seeds");
            Map<String, Setting> overrides = flagMap(v.getValueNode(), "variants." + name, Set.of("seeds"));
            for (Map.Entry<String, Setting> e : overrides.entrySet()) {
                if (swept.contains(e.getKey())) {
                    problems.add(e.getValue().pos(), "variants." + name + ": '" + e.getKey() + "' is also swept in "
                            + "'parameters'; the swept value would silently win, so set it in one place only");
                }
            }
            variants.add(new Variant(name, Pos.of(v.getKeyNode()), overrides, seeds));
        }
        return variants;
    }

    /**
     * A duration such as {@code 90s}, {@code 20m}, {@code 2h} or {@code 1 day} (Typesafe Config's format,
     * as in Pekko's own settings); {@code auto} where {@code allowAuto} (null = the derived default).
     */
    private java.time.Duration duration(NodeTuple t, String key, boolean allowAuto) {
        if (t == null) {
            return null;
        }
        String expected = "a duration like 90s, 20m or 2h" + (allowAuto ? ", or 'auto'" : "");
        ScalarNode s = scalar(t.getValueNode(), key, expected);
        if (s == null) {
            return null;
        }
        String text = s.getValue().trim();
        if (allowAuto && text.equals("auto")) {
            return null;
        }
        java.time.Duration d;
        try {
            d = com.typesafe.config.ConfigFactory.parseMap(Map.of("d", text)).getDuration("d");
        } catch (com.typesafe.config.ConfigException e) {
            problems.add(Pos.of(t.getValueNode()), key + ": expected " + expected + ", got '" + text + "'");
            return null;
        }
        if (d.compareTo(MIN_STALL_TIMEOUT) < 0) {
            problems.add(Pos.of(t.getValueNode()), key + ": expected at least " + MIN_STALL_TIMEOUT.toSeconds()
                    + "s, got '" + text + "'");
            return null;
        }
        return d;
    }

    /**
     * W&B's {@code metric: {name, goal}}: which trial is "best" in status and report. The frontier stays
     * the two-dimensional objective (accuracy up, BOPs down) whatever the metric says.
     */
    private Sweep.Metric readMetric(NodeTuple t) {
        if (t == null) {
            return null;
        }
        Map<String, NodeTuple> map = mapping(t.getValueNode(), "metric (expected {name: top1, goal: maximize})");
        if (map == null) {
            return null;
        }
        checkKeys(map, METRIC_KEYS, "key in metric");
        NodeTuple nameTuple = map.get("name");
        if (nameTuple == null) {
            problems.add(Pos.of(t.getValueNode()), "metric: missing required key 'name' (one of "
                    + String.join(", ", new java.util.TreeSet<>(METRICS.keySet())) + ")");
            return null;
        }
        String name = string(nameTuple.getValueNode(), "metric.name");
        if (name == null) {
            return null;
        }
        if (!METRICS.containsKey(name)) {
            problems.add(Pos.of(nameTuple.getValueNode()), "metric.name: expected one of "
                    + String.join(", ", new java.util.TreeSet<>(METRICS.keySet())) + " (what a trial reports), got '"
                    + name + "'");
            return null;
        }
        String goal = METRICS.get(name);
        NodeTuple goalTuple = map.get("goal");
        if (goalTuple != null) {
            goal = string(goalTuple.getValueNode(), "metric.goal");
            if (goal != null && !goal.equals("maximize") && !goal.equals("minimize")) {
                problems.add(Pos.of(goalTuple.getValueNode()), "metric.goal: expected maximize or minimize, got '"
                        + goal + "'");
                return null;
            }
        }
        return goal == null ? null : new Sweep.Metric(name, goal);
    }

    private int readRefine(NodeTuple t) {
        if (t == null) {
            return 0;
        }
        Map<String, NodeTuple> map = mapping(t.getValueNode(), "refine (expected {extra-trials: N})");
        if (map == null) {
            return 0;
        }
        checkKeys(map, REFINE_KEYS, "key in refine");
        NodeTuple extra = map.get("extra-trials");
        if (extra == null) {
            problems.add(Pos.of(t.getValueNode()), "refine: missing required key 'extra-trials' (an integer >= 0)");
            return 0;
        }
        Long n = integer(extra.getValueNode(), "refine.extra-trials", 0, 10_000);
        return n == null ? 0 : n.intValue();
    }

    /** A mapping of trainer flags ({@code base:} or a variant), typed; bad entries are reported. */
    private Map<String, Setting> flagMap(Node node, String where) {
        return flagMap(node, where, Set.of());
    }

    /** As {@link #flagMap(Node, String)}, leaving out the non-flag keys {@code skip} (read elsewhere). */
    private Map<String, Setting> flagMap(Node node, String where, Set<String> skip) {
        Map<String, Setting> out = new LinkedHashMap<>();
        if (node instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) {
            return out; // "no-pruning:" with nothing after it: an empty override set
        }
        Map<String, NodeTuple> map = mapping(node, where + " (expected {flag: value, ..})");
        if (map == null) {
            return out;
        }
        for (NodeTuple t : map.values()) {
            String flag = ((ScalarNode) t.getKeyNode()).getValue();
            if (skip.contains(flag)) {
                continue;
            }
            if (!checkFlagName(flag, t.getKeyNode(), where)) {
                continue;
            }
            Object v = flagValue(flag, t.getValueNode());
            if (v != null) {
                out.put(flag, new Setting(v, Pos.of(t.getValueNode())));
            }
        }
        return out;
    }

    private boolean checkFlagName(String flag, Node keyNode, String where) {
        if (TrialFlag.named(flag) == null) {
            problems.add(Pos.of(keyNode), where + ": unknown flag '" + flag + "'"
                    + hint(flag, TrialFlag.names()) + " (expected a 'bitsweep train' flag such as "
                    + "gating-lambda, epochs, include-pruning)");
            return false;
        }
        String instead = switch (TrialFlag.named(flag).inSweepFile()) {
            case PER_TRIAL -> null;
            case SWEEP_WIDE -> "set '" + flag + "' once at the top level of the sweep file";
            case SEEDS_LIST -> "list trial seeds in 'seeds: [..]', at the top level or inside a variant for that "
                    + "variant only (the top-level 'seed' is the sampling seed of method: random)";
        };
        if (instead != null) {
            problems.add(Pos.of(keyNode), where + ": '" + flag + "' is not allowed here; " + instead);
            return false;
        }
        return true;
    }

    /** Converts a scalar to the Java type of a trainer flag; null (after reporting) when it does not fit. */
    private Object flagValue(String flag, Node node) {
        Class<?> type = TrialFlag.named(flag).type();
        if (type == Double.class) {
            return number(node, flag);
        }
        if (type == Integer.class) {
            Long v = integer(node, flag, Integer.MIN_VALUE, Integer.MAX_VALUE);
            return v == null ? null : v.intValue();
        }
        if (type == Long.class) {
            return integer(node, flag, Long.MIN_VALUE, Long.MAX_VALUE);
        }
        if (type == Boolean.class) {
            ScalarNode s = scalar(node, flag, "true or false");
            if (s == null) {
                return null;
            }
            if (!s.getTag().equals(Tag.BOOL)) {
                problems.add(Pos.of(node), flag + ": expected true or false, got " + describe(s));
                return null;
            }
            return s.getValue().toLowerCase(Locale.ROOT).equals("true");
        }
        return string(node, flag);
    }

    private String optionalName(NodeTuple t, String key, String fallback) {
        if (t == null) {
            return fallback;
        }
        String name = string(t.getValueNode(), key);
        if (name != null && !NAME.matcher(name).matches()) {
            problems.add(Pos.of(t.getValueNode()), key + ": '" + name + "' must be 1-64 letters, digits, '.', '_' or "
                    + "'-' (it names the results folder)");
            return fallback;
        }
        return name == null ? fallback : name;
    }

    // ---- scalar helpers: each reports its own problem and returns null on failure ----

    private String string(Node node, String where) {
        ScalarNode s = scalar(node, where, "a string");
        if (s == null) {
            return null;
        }
        // !ENV is what snakeyaml-engine tags a bare ${VAR} with; we expand it ourselves below.
        if (!s.getTag().equals(Tag.STR) && !s.getTag().equals(Tag.ENV_TAG)) {
            problems.add(Pos.of(node), where + ": expected a string, got " + describe(s)
                    + " (quote it if you mean the text)");
            return null;
        }
        try {
            return env.expand(s.getValue());
        } catch (IllegalArgumentException e) {
            problems.add(Pos.of(node), where + ": " + e.getMessage());
            return null;
        }
    }

    private Double number(Node node, String where) {
        ScalarNode s = scalar(node, where, "a number");
        if (s == null) {
            return null;
        }
        if (s.getTag().equals(Tag.INT)) {
            BigInteger v = parseInt(s.getValue());
            return v == null ? null : v.doubleValue();
        }
        if (s.getTag().equals(Tag.FLOAT)) {
            return parseFloat(s.getValue());
        }
        problems.add(Pos.of(node), where + ": expected a number, got " + describe(s));
        return null;
    }

    private Long integer(Node node, String where, long min, long max) {
        ScalarNode s = scalar(node, where, "an integer");
        if (s == null) {
            return null;
        }
        BigInteger v = s.getTag().equals(Tag.INT) ? parseInt(s.getValue()) : null;
        if (v == null) {
            problems.add(Pos.of(node), where + ": expected an integer, got " + describe(s));
            return null;
        }
        if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
            problems.add(Pos.of(node), where + ": expected an integer " + range(min, max) + ", got " + v);
            return null;
        }
        return v.longValue();
    }

    private ScalarNode scalar(Node node, String where, String expected) {
        if (node instanceof ScalarNode s && !s.getTag().equals(Tag.NULL)) {
            return s;
        }
        problems.add(Pos.of(node), where + ": expected " + expected + ", got " + kind(node));
        return null;
    }

    /**
     * A mapping's entries by key, after checking that every key is a plain string and appears once.
     * Returns null (after reporting) when the node is not a mapping.
     */
    private Map<String, NodeTuple> mapping(Node node, String where) {
        if (!(node instanceof MappingNode m)) {
            problems.add(Pos.of(node), where + ": expected a mapping (key: value lines), got " + kind(node));
            return null;
        }
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            Node key = t.getKeyNode();
            if (!(key instanceof ScalarNode s) || !s.getTag().equals(Tag.STR)) {
                problems.add(Pos.of(key), "keys must be strings, got " + kind(key) + " in " + where
                        + " (quote the key if you mean the text)");
                continue;
            }
            NodeTuple first = out.putIfAbsent(s.getValue(), t);
            if (first != null) {
                problems.add(Pos.of(key), "duplicate key '" + s.getValue() + "' (first at "
                        + Pos.of(first.getKeyNode()) + ") in " + where);
            }
        }
        return out;
    }

    private void checkKeys(Map<String, NodeTuple> map, Set<String> known, String what) {
        for (NodeTuple t : map.values()) {
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            if (!known.contains(key)) {
                problems.add(Pos.of(t.getKeyNode()), "unknown " + what + " '" + key + "'" + hint(key, known)
                        + "; expected one of " + String.join(", ", new TreeSet<>(known)));
            }
        }
    }

    private static String hint(String key, Set<String> known) {
        String near = KeySuggester.nearest(key, known);
        return near == null ? "" : " (did you mean '" + near + "'?)";
    }

    private static String kind(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode s = (ScalarNode) node;
        return s.getTag().equals(Tag.NULL) ? "nothing (null)" : describe(s);
    }

    private static String describe(ScalarNode s) {
        String tag = s.getTag().equals(Tag.STR) || s.getTag().equals(Tag.ENV_TAG) ? "string"
                : s.getTag().equals(Tag.INT) ? "integer"
                : s.getTag().equals(Tag.FLOAT) ? "number"
                : s.getTag().equals(Tag.BOOL) ? "boolean"
                : s.getTag().getValue();
        return tag + " '" + s.getValue() + "'";
    }

    private static String range(long min, long max) {
        if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE) {
            return ">= " + min;
        }
        return "in [" + min + ", " + max + "]";
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** YAML 1.2 core-schema integers: decimal, 0o octal, 0x hex, optional sign. */
    private static BigInteger parseInt(String text) {
        String t = text.replace("_", "");
        boolean negative = t.startsWith("-");
        if (t.startsWith("-") || t.startsWith("+")) {
            t = t.substring(1);
        }
        BigInteger v;
        try {
            if (t.startsWith("0x")) {
                v = new BigInteger(t.substring(2), 16);
            } else if (t.startsWith("0o")) {
                v = new BigInteger(t.substring(2), 8);
            } else {
                v = new BigInteger(t);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return negative ? v.negate() : v;
    }

    private static Double parseFloat(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        switch (t) {
            case ".inf", "+.inf" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-.inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            case ".nan" -> {
                return Double.NaN;
            }
            default -> {
                return Double.parseDouble(t);
            }
        }
    }
}
