package bitsweep.trial;

import bitsweep.trial.TrialChoices.Experiment;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The {@link TrialFlag} table as text for people: the README's flag table and the preset note of each
 * {@code bitsweep train --help} line. Presets are read from {@link TrialPresets}, so neither text can
 * drift from what a trial actually gets.
 */
public final class TrialFlagDocs {
    /** Marks the generated table in README.md; {@code TrialFlagDocsTest} compares what lies between. */
    public static final String BEGIN = "<!-- BEGIN trial flags: generated from bitsweep.trial.TrialFlag by "
            + "TrialFlagDocs.markdownTable(); edit the table there, TrialFlagDocsTest prints this text -->";
    public static final String END = "<!-- END trial flags -->";
    private static final Pattern DOC = Pattern.compile("docs/[\\w-]+\\.md");

    private TrialFlagDocs() {
    }

    /** A flag's help text followed by its presets, as the command line shows it. */
    public static String helpWithPresets(TrialFlag flag) {
        List<String> presets = presets(flag);
        if (presets.stream().allMatch(Objects::isNull)) {
            return flag.help();
        }
        if (presets.stream().distinct().count() == 1) {
            return flag.help() + " (preset " + presets.get(0) + ")";
        }
        List<String> each = new ArrayList<>();
        for (Experiment e : Experiment.values()) {
            each.add(e.value() + " " + Objects.requireNonNullElse(presets.get(e.ordinal()), "unset"));
        }
        return flag.help() + " (preset " + String.join(", ", each) + ")";
    }

    /** The README's flag table (GitHub markdown), one row per flag in table order. */
    public static String markdownTable() {
        StringBuilder md = new StringBuilder();
        md.append("| flag | meaning | preset ")
                .append(Stream.of(Experiment.values()).map(Experiment::value).collect(Collectors.joining(" / ")))
                .append(" |\n|---|---|---|\n");
        for (TrialFlag f : TrialFlag.values()) {
            md.append("| `").append(cell(usage(f))).append("` | ").append(linked(cell(f.help()))).append(" | ")
                    .append(cell(presetCell(f))).append(" |\n");
        }
        return md.toString();
    }

    /** The generated README section, markers included. */
    public static String readmeSection() {
        return BEGIN + "\n" + markdownTable() + END;
    }

    private static String usage(TrialFlag f) {
        if (f.arity() == TrialFlag.Arity.ONE) {
            return "--" + f.flagName();
        }
        return "--" + f.flagName() + "[=" + (f.type() == Boolean.class ? "true|false" : f.paramLabel()) + "]";
    }

    private static String presetCell(TrialFlag f) {
        List<String> presets = presets(f);
        if (presets.stream().allMatch(Objects::isNull)) {
            return "–";
        }
        if (presets.stream().distinct().count() == 1) {
            return presets.get(0);
        }
        return presets.stream().map(p -> Objects.requireNonNullElse(p, "–")).collect(Collectors.joining(" / "));
    }

    /** The preset of a flag in each experiment (in {@link Experiment} order), null where it stays unset. */
    private static List<String> presets(TrialFlag f) {
        List<String> out = new ArrayList<>();
        for (Experiment e : Experiment.values()) {
            Object v = TrialPresets.preset(e).get(f);
            out.add(v == null ? null : format(v));
        }
        return out;
    }

    /** 0.001 rather than 1.0E-3, 6 rather than 6.0: as a user would type the value. */
    private static String format(Object v) {
        return v instanceof Double d ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString() : v.toString();
    }

    /** Help texts name docs in plain text (for --help); in the README they become links. */
    private static String linked(String text) {
        return DOC.matcher(text).replaceAll("[$0]($0)");
    }

    /** A markdown table cell: a pipe would end it. */
    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
