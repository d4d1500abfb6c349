package bitsweep.app.cli;

import bitsweep.trial.TrialFlag;
import bitsweep.trial.TrialFlagDocs;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The trial flags as picocli options, built from the {@link TrialFlag} table: a command adds them with
 * {@link #addTo(CommandSpec)} from its {@code @Spec} setter and reads what was given with
 * {@link #given(CommandSpec)}. Values keep the flag's Java type (picocli's own converters), choices
 * stay plain strings: they are validated once, with sweep files, by {@code TrialConfig.resolved()}.
 *
 * <p>Why a {@code @Spec} setter and not {@code @Command(modelTransformer = ..)}: picocli applies a model
 * transformer to a top-level command only, not to one added with {@code addSubcommand}, as Main does.
 */
public final class TrialFlagOptions {
    /** What a bare optional-value flag of type String ({@code --pretrained}) parses to; the command decides. */
    public static final String BARE = "\u0000bare";
    /** Before the command's own options (picocli's default order is -1), in table order. */
    private static final int FIRST_ORDER = -1000;

    private TrialFlagOptions() {
    }

    /** Adds one option per trial flag to a command under construction. */
    public static void addTo(CommandSpec spec) {
        for (TrialFlag flag : TrialFlag.values()) {
            spec.addOption(option(flag));
        }
    }

    static OptionSpec option(TrialFlag flag) {
        OptionSpec.Builder option = OptionSpec.builder("--" + flag.flagName())
                .type(flag.type())
                .paramLabel(flag.paramLabel() != null ? flag.paramLabel() : "<" + flag.componentName() + ">")
                .description(TrialFlagDocs.helpWithPresets(flag))
                .order(FIRST_ORDER + flag.ordinal());
        if (flag.arity() == TrialFlag.Arity.ZERO_OR_ONE) {
            option.arity("0..1").fallbackValue(flag.type() == Boolean.class ? "true" : BARE);
        }
        return option.build();
    }

    /** The trial flags given on the command line, flag name (no dashes) → value, in table order. */
    public static Map<String, Object> given(CommandSpec spec) {
        Map<String, Object> flags = new LinkedHashMap<>();
        for (TrialFlag flag : TrialFlag.values()) {
            Object value = spec.findOption("--" + flag.flagName()).getValue();
            if (value != null) {
                flags.put(flag.flagName(), value);
            }
        }
        return flags;
    }
}
