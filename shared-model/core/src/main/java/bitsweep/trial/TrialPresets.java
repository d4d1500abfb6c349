package bitsweep.trial;

import static bitsweep.trial.TrialFlag.BATCH_SIZE;
import static bitsweep.trial.TrialFlag.CHECKPOINT_EVERY;
import static bitsweep.trial.TrialFlag.DATA_DIR;
import static bitsweep.trial.TrialFlag.EPOCHS;
import static bitsweep.trial.TrialFlag.EVAL_EVERY;
import static bitsweep.trial.TrialFlag.FIXED_48BIT;
import static bitsweep.trial.TrialFlag.FIXED_8BIT;
import static bitsweep.trial.TrialFlag.FIXED_GATE_FINETUNE_EPOCHS;
import static bitsweep.trial.TrialFlag.GAMMA_16_INIT;
import static bitsweep.trial.TrialFlag.GAMMA_32_INIT;
import static bitsweep.trial.TrialFlag.GAMMA_4_INIT;
import static bitsweep.trial.TrialFlag.GAMMA_8_INIT;
import static bitsweep.trial.TrialFlag.GATE_SAMPLES;
import static bitsweep.trial.TrialFlag.GATING_LAMBDA;
import static bitsweep.trial.TrialFlag.GATING_METHOD;
import static bitsweep.trial.TrialFlag.INCLUDE_PRUNING;
import static bitsweep.trial.TrialFlag.LEARNED_SCALE;
import static bitsweep.trial.TrialFlag.LEARNING_RATE;
import static bitsweep.trial.TrialFlag.LEARNING_RATE_Q;
import static bitsweep.trial.TrialFlag.LEARNING_RATE_S;
import static bitsweep.trial.TrialFlag.LR_SCHEDULE;
import static bitsweep.trial.TrialFlag.METHOD;
import static bitsweep.trial.TrialFlag.MODEL;
import static bitsweep.trial.TrialFlag.MOMENTUM;
import static bitsweep.trial.TrialFlag.OPTIMIZER;
import static bitsweep.trial.TrialFlag.OPTIMIZER_Q;
import static bitsweep.trial.TrialFlag.OPTIMIZER_S;
import static bitsweep.trial.TrialFlag.PRUNE_ONLY;
import static bitsweep.trial.TrialFlag.REG_TYPE;
import static bitsweep.trial.TrialFlag.SEED;
import static bitsweep.trial.TrialFlag.WEIGHT_DECAY;

import bitsweep.trial.TrialChoices.Experiment;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Fills a {@link TrialConfig}: explicit values win, then the experiment's preset (the paper's
 * README command, spec §8.2), then the reference defaults (spec Appendix A). Validates the result
 * and reports every problem at once, each naming the flag and the expected form. This is the one
 * validation path of the command line and of sweep files; choices come from the {@link TrialFlag} table.
 */
public final class TrialPresets {

    private static final Pattern MULTISTEP = Pattern.compile("multistep(:\\d+)+");
    private static final Pattern COSINE = Pattern.compile("cosine:[0-9.eE+-]+");

    private TrialPresets() {
    }

    /** The experiment of this name (any case), or an {@link InvalidTrialConfigException} listing them. */
    public static Experiment experiment(String name) {
        for (Experiment e : Experiment.values()) {
            if (e.value().equalsIgnoreCase(name)) {
                return e;
            }
        }
        throw new InvalidTrialConfigException(List.of(TrialFlag.EXPERIMENT.choiceProblem(name)));
    }

    /** The model the reference uses for an experiment. */
    public static String modelFor(String experiment) {
        return experiment(experiment).model().value();
    }

    static TrialConfig resolve(TrialConfig c) {
        if (c.experiment() == null) {
            throw new InvalidTrialConfigException(List.of("experiment: required (mnist, cifar10 or imagenet)"));
        }
        Experiment exp = experiment(c.experiment());
        Map<String, Object> flags = TrialFlags.toMap(c);
        for (TrialFlag f : TrialFlag.values()) {
            // Choices are case-insensitive: the reference's own command lines say Adam and SGD (argparse
            // lower-cases nothing, its code compares case-insensitively); stored in lower case.
            // A value that is no choice keeps its spelling, so the error shows what was typed.
            if (f.isChoice() && flags.get(f.flagName()) instanceof String v && f.choiceProblem(v) == null) {
                flags.put(f.flagName(), v.toLowerCase(Locale.ROOT));
            }
        }
        preset(exp).forEach((f, v) -> flags.putIfAbsent(f.flagName(), v));
        TrialConfig r = TrialFlags.fromMap(flags);
        validate(r, exp.model().value());
        return r;
    }

    /**
     * What an unset flag becomes in an experiment: its README command (spec §8.2) over the reference
     * defaults (spec Appendix A). Flags missing here (pretrained, limit-train, limit-test) stay unset.
     */
    static Map<TrialFlag, Object> preset(Experiment exp) {
        boolean imagenet = exp == Experiment.IMAGENET;
        boolean cifar = exp == Experiment.CIFAR10;
        Map<TrialFlag, Object> p = new EnumMap<>(TrialFlag.class);
        p.put(MODEL, exp.model().value());
        p.put(DATA_DIR, "data/" + exp.value());
        p.put(METHOD, "bayesian_bits");
        p.put(GATING_METHOD, "l0");
        p.put(GAMMA_4_INIT, 6.0);
        p.put(GAMMA_8_INIT, 6.0);
        p.put(GAMMA_16_INIT, imagenet || cifar ? 6.0 : -6.0);
        p.put(GAMMA_32_INIT, cifar ? 6.0 : -6.0);
        p.put(GATING_LAMBDA, exp == Experiment.MNIST ? 0.1 : 0.01);
        p.put(LEARNING_RATE, imagenet ? 3e-3 : 1e-3);
        p.put(LEARNING_RATE_Q, 1e-3);
        p.put(LEARNING_RATE_S, 1e-3);
        p.put(OPTIMIZER, imagenet ? "sgd" : "adam");
        p.put(OPTIMIZER_Q, "adam");
        p.put(OPTIMIZER_S, "adam");
        p.put(MOMENTUM, 0.9);
        p.put(BATCH_SIZE, imagenet ? 384 : 128);
        p.put(EPOCHS, imagenet ? 30 : cifar ? 300 : 100);
        p.put(EVAL_EVERY, 1);
        p.put(LEARNED_SCALE, "range");
        p.put(INCLUDE_PRUNING, true);
        p.put(REG_TYPE, "bop");
        p.put(LR_SCHEDULE, imagenet ? "multistep:10:20" : "linear");
        p.put(FIXED_GATE_FINETUNE_EPOCHS, imagenet ? 10 : 0);
        p.put(PRUNE_ONLY, false);
        p.put(FIXED_8BIT, false);
        p.put(FIXED_48BIT, false);
        p.put(WEIGHT_DECAY, 0.0);
        p.put(SEED, 0L);
        p.put(CHECKPOINT_EVERY, 1);
        p.put(GATE_SAMPLES, 1);
        return p;
    }

    private static void validate(TrialConfig r, String expectedModel) {
        List<String> errors = new ArrayList<>();
        if (!r.model().equals(expectedModel)) {
            errors.add("model: experiment " + r.experiment() + " uses '" + expectedModel + "', got '" + r.model() + "'");
        }
        for (TrialFlag f : TrialFlag.values()) {
            // the model is checked above, more strictly: it must be the experiment's
            if (f.isChoice() && f != MODEL) {
                String problem = f.choiceProblem((String) TrialFlags.get(r, f));
                if (problem != null) {
                    errors.add(problem);
                }
            }
        }
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
}
