package bitsweep.sweep;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Renders an expanded sweep as a plain-text table: id, variant, seed, swept parameters, epochs. */
public final class TrialTable {
    private TrialTable() {
    }

    public static String render(Sweep sweep) {
        Set<String> axes = new LinkedHashSet<>();
        sweep.trials().forEach(t -> axes.addAll(t.params().keySet()));
        List<String> header = new ArrayList<>(List.of("#", "trial id", "variant", "seed"));
        header.addAll(axes);
        header.add("epochs");
        List<List<String>> rows = new ArrayList<>();
        int n = 0;
        for (TrialSpec t : sweep.trials()) {
            List<String> row = new ArrayList<>();
            row.add(Integer.toString(++n));
            row.add(t.trialId());
            row.add(t.variant());
            row.add(String.valueOf(t.config().seed()));
            for (String axis : axes) {
                row.add(format(t.params().get(axis)));
            }
            Integer finetune = t.config().fixedGateFinetuneEpochs();
            row.add(t.config().epochs() + (finetune != null && finetune > 0 ? "+" + finetune : ""));
            rows.add(row);
        }
        StringBuilder out = new StringBuilder();
        out.append(table(header, rows));
        out.append(summary(sweep));
        return out.toString();
    }

    static String summary(Sweep sweep) {
        Map<String, Long> perVariant = new java.util.LinkedHashMap<>();
        sweep.trials().forEach(t -> perVariant.merge(t.variant(), 1L, Long::sum));
        StringBuilder s = new StringBuilder();
        s.append(System.lineSeparator())
                .append("sweep ").append(sweep.name()).append(" (").append(sweep.experiment()).append("): ")
                .append(sweep.trials().size()).append(sweep.trials().size() == 1 ? " trial" : " trials");
        List<String> parts = new ArrayList<>();
        perVariant.forEach((v, c) -> parts.add(v + " " + c));
        s.append(" (").append(String.join(", ", parts)).append(")")
                .append(", max-attempts ").append(sweep.maxAttempts())
                .append(", refine extra-trials ").append(sweep.refineExtraTrials())
                .append(System.lineSeparator());
        return s.toString();
    }

    private static String format(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof Double d) {
            return TrialIds.plain(d);
        }
        return v.toString();
    }

    private static String table(List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        for (int i = 0; i < header.size(); i++) {
            width[i] = header.get(i).length();
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, width);
        List<String> rule = new ArrayList<>();
        for (int w : width) {
            rule.add("-".repeat(w));
        }
        line(out, rule, width);
        rows.forEach(r -> line(out, r, width));
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] width) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                l.append("  ");
            }
            l.append(String.format("%-" + width[i] + "s", cells.get(i)));
        }
        out.append(l.toString().stripTrailing()).append(System.lineSeparator());
    }
}
