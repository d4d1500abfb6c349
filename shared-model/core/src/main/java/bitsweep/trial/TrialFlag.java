package bitsweep.trial;

import static bitsweep.trial.TrialFlag.InSweepFile.PER_TRIAL;
import static bitsweep.trial.TrialFlag.InSweepFile.SEEDS_LIST;
import static bitsweep.trial.TrialFlag.InSweepFile.SWEEP_WIDE;
import static bitsweep.trial.TrialFlag.InTrialId.IN_TRIAL_ID;
import static bitsweep.trial.TrialFlag.InTrialId.NOT_IN_TRIAL_ID;
import static bitsweep.trial.TrialFlag.InTrialId.WHETHER_SET_IN_TRIAL_ID;
import static bitsweep.trial.TrialFlag.InTrialId.notInTrialIdAt;

import bitsweep.trial.TrialChoices.Experiment;
import bitsweep.trial.TrialChoices.GatingMethod;
import bitsweep.trial.TrialChoices.LearnedScale;
import bitsweep.trial.TrialChoices.Method;
import bitsweep.trial.TrialChoices.Model;
import bitsweep.trial.TrialChoices.Optimizer;
import bitsweep.trial.TrialChoices.RegType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The trial flags, declared once: the {@code bitsweep train} options, the keys of a sweep file, the
 * components of {@link TrialConfig} (same names via {@code @JsonProperty}, same order, same types;
 * {@code TrialFlagTableTest} pins that) and the README's flag table are all derived from this list.
 *
 * <p>Names, values and spellings follow the reference implementation's command line (spec §8.2).
 * A flag's type is the Java type of its value; a choice flag is a string from its enum in
 * {@link TrialChoices}. Presets and defaults live in {@link TrialPresets}. Most flags are set per trial
 * and hashed into the trial id; the few exceptions say so in their entry ({@link InSweepFile},
 * {@link InTrialId}), which is where the sweep-file reader and the trial ids read them.
 *
 * <p>This package stays free of picocli and Pekko: the CLI builds its options from this table.
 */
public enum TrialFlag {
    EXPERIMENT("experiment", Experiment.class, "mnist, cifar10 or imagenet (required unless --resume)",
            SWEEP_WIDE, IN_TRIAL_ID),
    MODEL("model", Model.class, "lenet5quantized, vggquantized or resnet18; must match the experiment",
            SWEEP_WIDE, IN_TRIAL_ID),
    DATA_DIR("data-dir", String.class, "data folder", SWEEP_WIDE, NOT_IN_TRIAL_ID),
    METHOD("method", Method.class, "bayesian_bits"),
    GATING_METHOD("gating-method", GatingMethod.class,
            "l0 (sampled hard-concrete gates) or fixed (deterministic training gates)"),
    GAMMA_4_INIT("gamma-4-init", Double.class, "initial gate logit log α_4"),
    GAMMA_8_INIT("gamma-8-init", Double.class, "initial gate logit log α_8"),
    GAMMA_16_INIT("gamma-16-init", Double.class, "initial gate logit log α_16"),
    GAMMA_32_INIT("gamma-32-init", Double.class, "initial gate logit log α_32"),
    GATING_LAMBDA("gating-lambda", Double.class, "MU, strength of the BOP regulariser"),
    LEARNING_RATE("learning-rate", Double.class, "LR of the weights group (weights, biases, BN scale/shift)"),
    LEARNING_RATE_Q("learning-rate-q", Double.class, "LR of the gates group (all gate logits)"),
    LEARNING_RATE_S("learning-rate-s", Double.class, "LR of the ranges group (x_max)"),
    OPTIMIZER("optimizer", Optimizer.class, "weights group: adam (PyTorch 1.1 semantics) or sgd (Nesterov)"),
    OPTIMIZER_Q("optimizer-q", Optimizer.class, "gates group: adam or sgd"),
    OPTIMIZER_S("optimizer-s", Optimizer.class, "ranges group: adam or sgd"),
    MOMENTUM("momentum", Double.class, "Nesterov momentum of sgd groups"),
    BATCH_SIZE("batch-size", Integer.class, "mini-batch size"),
    EPOCHS("epochs", Integer.class, "Bayesian Bits epochs"),
    EVAL_EVERY("eval-every", Integer.class, "evaluate top-1 every N epochs (and always after the last)"),
    LEARNED_SCALE("learned-scale", LearnedScale.class, "range (learned x_max + PACT clipping), scale or none"),
    INCLUDE_PRUNING("include-pruning", Boolean.class,
            "channel-pruning gates on weight quantizers; --include-pruning=false is the quantization-only variant"),
    REG_TYPE("reg-type", RegType.class, "bop (the paper's MAC-weighted prior), const, or bop-exact (not in the "
            + "paper: the expected BOP count itself, scaled so MU keeps its meaning; docs/regularisers.md)"),
    LR_SCHEDULE("lr-schedule", String.class, "linear (weights LR decays linearly over the last third), "
            + "multistep:E1:E2… (×0.1 at each milestone, all groups), cosine:ETA_MIN (weights group) or none"),
    FIXED_GATE_FINETUNE_EPOCHS("fixed-gate-finetune-epochs", Integer.class,
            "epochs of fixed-gate fine-tuning after training (spec §9)"),
    PRUNE_ONLY("prune-only", Boolean.class,
            "pruning only: FP32 weights and activations, BOPs counted at 16 bits; needs include-pruning (spec §10)"),
    FIXED_8BIT("fixed-8bit", Boolean.class, "with prune-only: weights and activations at a fixed 8 bits (spec §10)"),
    FIXED_48BIT("fixed-48bit", Boolean.class, "with prune-only: weights at 4 bits, activations at 8 bits (spec §10)"),
    PRETRAINED("pretrained", String.class, Arity.ZERO_OR_ONE, "FILE", "ResNet-18 only: start from pretrained FP32 "
            + "weights; the bare flag reads them from $BITSWEEP_PRETRAINED, else data/pretrained/resnet18.npz "
            + "(see docs/pretrained.md); --pretrained FILE or --pretrained-weights FILE name the file",
            PER_TRIAL, WHETHER_SET_IN_TRIAL_ID),
    WEIGHT_DECAY("weight-decay", Double.class, "λ of an L2 loss term λ/2·Σ‖θ‖² over the weights group (spec §5.3)"),
    SEED("seed", Long.class,
            "seeds weight init, shuffling and gate noise; CPU runs with the same seed repeat exactly",
            SEEDS_LIST, IN_TRIAL_ID),
    LIMIT_TRAIN("limit-train", Integer.class, "use only the first N training examples (quick runs; default all)"),
    LIMIT_TEST("limit-test", Integer.class, "evaluate on the first N test examples only (default all)"),
    CHECKPOINT_EVERY("checkpoint-every", Integer.class, "write a checkpoint every N epochs (and after the last)",
            SWEEP_WIDE, NOT_IN_TRIAL_ID),
    GATE_SAMPLES("gate-samples", Integer.class, "ablation, not in the paper: K independent gate samples per step, "
            + "each on 1/K of the batch, as the reference's K-GPU DataParallel (about K times the per-step "
            + "quantizer cost; docs/regularisers.md); 1 <= K <= batch size",
            // added after sweeps had run: every earlier trial took 1 gate sample per step, so 1 keeps their ids
            PER_TRIAL, notInTrialIdAt(1));

    /** How many values a flag takes on the command line; bare flags are the reference's (argparse) spelling. */
    public enum Arity {
        /** {@code --flag VALUE} or {@code --flag=VALUE}. */
        ONE,
        /** Also bare: a boolean then means true; for other types the command says what the bare flag means. */
        ZERO_OR_ONE
    }

    /** Where a sweep file sets a flag ({@code bitsweep.sweep.SweepReader} reads this). */
    public enum InSweepFile {
        /** Per trial: in the file's {@code base}, a variant or as a {@code parameters} axis. */
        PER_TRIAL,
        /**
         * Once, at the top level, never per trial: the experiment and its model are what the whole sweep
         * is about, the data folder and the checkpoint cadence are how a machine runs it.
         */
        SWEEP_WIDE,
        /**
         * Per trial, but listed in {@code seeds: [..]} (top level or per variant), each seed a trial of every
         * point; the top-level key {@code seed} is the sampling seed of {@code method: random}, not this flag.
         */
        SEEDS_LIST
    }

    /**
     * How a flag's value enters a trial's id, the hash of its resolved configuration
     * ({@code bitsweep.sweep.TrialIds}): the same trial must get the same id on every machine and after
     * every new flag, since results are found again by id.
     */
    public static final class InTrialId {
        /** Hashed: the value changes what a trial computes. */
        public static final InTrialId IN_TRIAL_ID = new InTrialId(Rule.VALUE, null);
        /**
         * Left out: where a machine keeps its data, how often it checkpoints, change nothing a trial
         * computes; the same sweep file validated on the orchestrator and on a laptop gives the same ids.
         */
        public static final InTrialId NOT_IN_TRIAL_ID = new InTrialId(Rule.LEFT_OUT, null);
        /** Only whether it is set is hashed (as true): using pretrained weights matters, their path does not. */
        public static final InTrialId WHETHER_SET_IN_TRIAL_ID = new InTrialId(Rule.WHETHER_SET, null);

        private enum Rule { VALUE, LEFT_OUT, WHETHER_SET }

        private final Rule rule;
        private final Object leftOutAt;

        private InTrialId(Rule rule, Object leftOutAt) {
            this.rule = rule;
            this.leftOutAt = leftOutAt;
        }

        /**
         * Left out while at {@code value}, hashed otherwise: for a flag added after sweeps had run, the value
         * every earlier trial effectively had, so that adding the flag keeps their ids (and their results).
         * Of the flag's type: {@code 1} for an Integer flag, {@code 1L} for a Long one.
         */
        public static InTrialId notInTrialIdAt(Object value) {
            return new InTrialId(Rule.VALUE, Objects.requireNonNull(value));
        }

        /** What the trial id hashes for a (non-null) value of the flag; null when the flag is left out. */
        public Object hashed(Object value) {
            return switch (rule) {
                case LEFT_OUT -> null;
                case WHETHER_SET -> Boolean.TRUE;
                case VALUE -> value.equals(leftOutAt) ? null : value;
            };
        }

        @Override
        public String toString() {
            return rule + (leftOutAt == null ? "" : " unless " + leftOutAt);
        }
    }

    private static final Map<String, TrialFlag> BY_NAME;

    static {
        Map<String, TrialFlag> byName = new LinkedHashMap<>();
        for (TrialFlag f : values()) {
            byName.put(f.flagName, f);
        }
        BY_NAME = Collections.unmodifiableMap(byName);
    }

    private final String flagName;
    private final Class<?> type;
    private final List<String> choices;
    private final Arity arity;
    private final String paramLabel;
    private final String help;
    private final InSweepFile inSweepFile;
    private final InTrialId inTrialId;

    /** {@code kind}: the value's Java type, or a {@link TrialChoices} enum for a choice (a string). */
    TrialFlag(String flagName, Class<?> kind, String help) {
        this(flagName, kind, help, PER_TRIAL, IN_TRIAL_ID);
    }

    TrialFlag(String flagName, Class<?> kind, String help, InSweepFile inSweepFile, InTrialId inTrialId) {
        this(flagName, kind, kind == Boolean.class ? Arity.ZERO_OR_ONE : Arity.ONE, null, help, inSweepFile,
                inTrialId);
    }

    TrialFlag(String flagName, Class<?> kind, Arity arity, String paramLabel, String help, InSweepFile inSweepFile,
            InTrialId inTrialId) {
        boolean choice = kind.isEnum();
        this.flagName = flagName;
        this.type = choice ? String.class : kind;
        this.choices = choice ? TrialChoices.values(kind) : List.of();
        this.arity = arity;
        this.paramLabel = paramLabel;
        this.help = help;
        this.inSweepFile = inSweepFile;
        this.inTrialId = inTrialId;
        if (inTrialId.leftOutAt != null && !type.isInstance(inTrialId.leftOutAt)) {
            throw new IllegalArgumentException(flagName + ": notInTrialIdAt(" + inTrialId.leftOutAt + ") is a "
                    + inTrialId.leftOutAt.getClass().getSimpleName() + ", the flag a " + type.getSimpleName());
        }
    }

    /** The flag without dashes: the sweep-file key and the {@code @JsonProperty} name in {@link TrialConfig}. */
    public String flagName() {
        return flagName;
    }

    /** String, Double, Integer, Long or Boolean. */
    public Class<?> type() {
        return type;
    }

    /** The allowed values of a choice flag, in declaration order; empty for any other flag. */
    public List<String> choices() {
        return choices;
    }

    public boolean isChoice() {
        return !choices.isEmpty();
    }

    public Arity arity() {
        return arity;
    }

    /** The value's name in usage text (e.g. {@code FILE}); null for the default. */
    public String paramLabel() {
        return paramLabel;
    }

    /** One line of help: what the flag does and, for a choice, what each choice means. */
    public String help() {
        return help;
    }

    /** Where a sweep file sets this flag. */
    public InSweepFile inSweepFile() {
        return inSweepFile;
    }

    /** How this flag's value enters a trial's id. */
    public InTrialId inTrialId() {
        return inTrialId;
    }

    /** The {@link TrialConfig} component: the flag name in camel case ({@code learning-rate-q} → learningRateQ). */
    public String componentName() {
        StringBuilder name = new StringBuilder();
        for (String part : flagName.split("-")) {
            name.append(name.isEmpty() ? part : part.substring(0, 1).toUpperCase(Locale.ROOT) + part.substring(1));
        }
        return name.toString();
    }

    /** The value a flag's type asks for, as error messages say it. */
    public String expected() {
        if (type == Double.class) {
            return "a number";
        }
        if (type == Integer.class || type == Long.class) {
            return "an integer";
        }
        if (type == Boolean.class) {
            return "true or false";
        }
        return "a string";
    }

    /**
     * The problem with a value of a choice flag (choices are case-insensitive), naming the flag, the
     * choices and the value as given; null when the value is one of them or the flag is no choice.
     */
    public String choiceProblem(String v) {
        if (!isChoice() || v != null && choices.contains(v.toLowerCase(Locale.ROOT))) {
            return null;
        }
        return flagName + ": expected one of " + String.join(", ", choices) + ", got '" + v + "'";
    }

    /** The flag of this name (without dashes), or null when there is none. */
    public static TrialFlag named(String flagName) {
        return BY_NAME.get(flagName);
    }

    /** Every flag name, in table order. */
    public static Set<String> names() {
        return BY_NAME.keySet();
    }
}
