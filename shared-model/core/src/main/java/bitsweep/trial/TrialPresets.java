package bitsweep.trial;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Fills a {@link TrialConfig}: explicit values win, then the experiment's preset (the paper's
 * README command, spec §8.2), then the reference defaults (spec Appendix A). Validates the result
 * and reports every problem at once, each naming the flag and the expected form.
 */
public final class TrialPresets {

    public static final Set<String> EXPERIMENTS = Set.of("mnist", "cifar10", "imagenet");
    private static final Pattern MULTISTEP = Pattern.compile("multistep(:\\d+)+");
    private static final Pattern COSINE = Pattern.compile("cosine:[0-9.eE+-]+");

    private TrialPresets() {
    }

    /** The model the reference uses for an experiment. */
    public static String modelFor(String experiment) {
        return switch (experiment) {
            case "mnist" -> "lenet5quantized";
            case "cifar10" -> "vggquantized";
            case "imagenet" -> "resnet18";
            default -> throw new InvalidTrialConfigException(List.of(
                    "experiment: expected one of mnist, cifar10, imagenet, got '" + experiment + "'"));
        };
    }

    static TrialConfig resolve(TrialConfig c) {
        if (c.experiment() == null) {
            throw new InvalidTrialConfigException(List.of("experiment: required (mnist, cifar10 or imagenet)"));
        }
        String exp = c.experiment().toLowerCase(Locale.ROOT);
        String model = modelFor(exp);
        boolean imagenet = exp.equals("imagenet");
        boolean cifar = exp.equals("cifar10");
        TrialConfig r = new TrialConfig(
                exp,
                choice(or(c.model(), model)),
                or(c.dataDir(), "data/" + exp),
                choice(or(c.method(), "bayesian_bits")),
                choice(or(c.gatingMethod(), "l0")),
                or(c.gamma4Init(), 6.0),
                or(c.gamma8Init(), 6.0),
                or(c.gamma16Init(), imagenet || cifar ? 6.0 : -6.0),
                or(c.gamma32Init(), cifar ? 6.0 : -6.0),
                or(c.gatingLambda(), exp.equals("mnist") ? 0.1 : 0.01),
                or(c.learningRate(), imagenet ? 3e-3 : 1e-3),
                or(c.learningRateQ(), 1e-3),
                or(c.learningRateS(), 1e-3),
                choice(or(c.optimizer(), imagenet ? "sgd" : "adam")),
                choice(or(c.optimizerQ(), "adam")),
                choice(or(c.optimizerS(), "adam")),
                or(c.momentum(), 0.9),
                or(c.batchSize(), imagenet ? 384 : 128),
                or(c.epochs(), imagenet ? 30 : cifar ? 300 : 100),
                or(c.evalEvery(), 1),
                choice(or(c.learnedScale(), "range")),
                or(c.includePruning(), true),
                choice(or(c.regType(), "bop")),
                or(c.lrSchedule(), imagenet ? "multistep:10:20" : "linear"),
                or(c.fixedGateFinetuneEpochs(), imagenet ? 10 : 0),
                or(c.pruneOnly(), false),
                or(c.fixed8bit(), false),
                or(c.fixed48bit(), false),
                c.pretrained(),
                or(c.weightDecay(), 0.0),
                or(c.seed(), 0L),
                c.limitTrain(),
                c.limitTest(),
                or(c.checkpointEvery(), 1),
                or(c.gateSamples(), 1));
        validate(r, model);
        return r;
    }

    private static void validate(TrialConfig r, String expectedModel) {
        List<String> errors = new ArrayList<>();
        if (!r.model().equals(expectedModel)) {
            errors.add("model: experiment " + r.experiment() + " uses '" + expectedModel + "', got '" + r.model() + "'");
        }
        oneOf(errors, "method", r.method(), "bayesian_bits");
        oneOf(errors, "gating-method", r.gatingMethod(), "l0", "fixed");
        oneOf(errors, "optimizer", r.optimizer(), "adam", "sgd");
        oneOf(errors, "optimizer-q", r.optimizerQ(), "adam", "sgd");
        oneOf(errors, "optimizer-s", r.optimizerS(), "adam", "sgd");
        oneOf(errors, "learned-scale", r.learnedScale(), "range", "scale", "none");
        oneOf(errors, "reg-type", r.regType(), "bop", "const", "bop-exact");
        finite(errors, "gamma-4-init", r.gamma4Init());
        finite(errors, "gamma-8-init", r.gamma8Init());
        finite(errors, "gamma-16-init", r.gamma16Init());
        finite(errors, "gamma-32-init", r.gamma32Init());
        nonNegative(errors, "gating-lambda", r.gatingLambda());
        positive(errors, "learning-rate", r.learningRate());
        positive(errors, "learning-rate-q", r.learningRateQ());
        positive(errors, "learning-rate-s", r.learningRateS());
        if (!(r.momentum() >= 0 && r.momentum() < 1)) {
            errors.add("momentum: expected a number in [0, 1), got " + r.momentum());
        }
        nonNegative(errors, "weight-decay", r.weightDecay());
        atLeast(errors, "batch-size", r.batchSize(), 1);
        atLeast(errors, "epochs", r.epochs(), 1);
        atLeast(errors, "eval-every", r.evalEvery(), 1);
        atLeast(errors, "fixed-gate-finetune-epochs", r.fixedGateFinetuneEpochs(), 0);
        atLeast(errors, "checkpoint-every", r.checkpointEvery(), 1);
        atLeast(errors, "gate-samples", r.gateSamples(), 1);
        if (r.gateSamples() > r.batchSize()) {
            errors.add("gate-samples: expected at most batch-size (" + r.batchSize() + ") gate samples per step, got "
                    + r.gateSamples() + " (each sample gets its own slice of the batch)");
        }
        if (r.limitTrain() != null) {
            atLeast(errors, "limit-train", r.limitTrain(), 1);
        }
        if (r.limitTest() != null) {
            atLeast(errors, "limit-test", r.limitTest(), 1);
        }
        String s = r.lrSchedule();
        if (!(s.equals("linear") || s.equals("none") || MULTISTEP.matcher(s).matches()
                || COSINE.matcher(s).matches())) {
            errors.add("lr-schedule: expected linear, none, multistep:E1:E2… or cosine:ETA_MIN, got '" + s + "'");
        }
        if (r.pruneOnly() && !r.includePruning()) {
            errors.add("prune-only: requires include-pruning (spec §10)");
        }
        if (r.fixed8bit() && r.fixed48bit()) {
            errors.add("fixed-8bit, fixed-48bit: choose at most one");
        }
        if ((r.fixed8bit() || r.fixed48bit()) && !r.pruneOnly()) {
            errors.add("fixed-8bit/fixed-48bit: only supported together with prune-only (spec §10: without it "
                    + "pruning gates are ignored in the forward pass but still counted in BOPs)");
        }
        if (!errors.isEmpty()) {
            throw new InvalidTrialConfigException(errors);
        }
    }

    private static void oneOf(List<String> errors, String flag, String value, String... allowed) {
        for (String a : allowed) {
            if (a.equals(value)) {
                return;
            }
        }
        errors.add(flag + ": expected one of " + String.join(", ", allowed) + ", got '" + value + "'");
    }

    private static void finite(List<String> errors, String flag, double v) {
        if (!Double.isFinite(v)) {
            errors.add(flag + ": expected a finite number, got " + v);
        }
    }

    private static void positive(List<String> errors, String flag, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            errors.add(flag + ": expected a positive number, got " + v);
        }
    }

    private static void nonNegative(List<String> errors, String flag, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            errors.add(flag + ": expected a number >= 0, got " + v);
        }
    }

    private static void atLeast(List<String> errors, String flag, int v, int min) {
        if (v < min) {
            errors.add(flag + ": expected an integer >= " + min + ", got " + v);
        }
    }

    /**
     * Choices are case-insensitive: the reference's own command lines say {@code Adam} and {@code SGD}
     * (argparse lower-cases nothing, its code compares case-insensitively); stored in lower case.
     */
    private static String choice(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
