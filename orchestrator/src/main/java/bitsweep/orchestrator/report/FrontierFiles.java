package bitsweep.orchestrator.report;

import bitsweep.io.AtomicFiles;
import bitsweep.io.Json;
import bitsweep.sweep.TrialStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Writes {@code frontier.csv} and {@code frontier.json} (atomically). Both list the frontier models of
 * every variant, by variant then relative BOPs; an empty frontier still gives a CSV header and a JSON
 * document with empty lists, so downstream tools never meet a missing file.
 */
public final class FrontierFiles {

    public static final String CSV = "frontier.csv";
    public static final String JSON = "frontier.json";

    static final List<String> CSV_HEADER = List.of("trial_id", "variant", "mu", "seed", "top1", "relative_bops",
            "gbops", "weight_bits", "activation_bits", "kept_channels", "kept_ratio", "model", "validation");

    private FrontierFiles() {
    }

    public static void write(Path dir, SweepReport report) throws IOException {
        List<FrontierRow> rows = rows(report);
        AtomicFiles.writeString(dir.resolve(CSV), csv(rows));
        AtomicFiles.writeBytes(dir.resolve(JSON), Json.PRETTY.writeValueAsBytes(json(report)));
    }

    static List<FrontierRow> rows(SweepReport report) {
        List<FrontierRow> rows = new ArrayList<>();
        for (VariantFrontier f : report.frontiers()) {
            f.frontier().forEach(p -> rows.add(FrontierRow.of(p, report)));
        }
        return rows;
    }

    static String csv(List<FrontierRow> rows) {
        StringBuilder out = new StringBuilder(Csv.line(CSV_HEADER));
        for (FrontierRow r : rows) {
            out.append(Csv.line(List.of(
                    r.trialId(), r.variant(),
                    Html.plain(r.mu()),
                    r.seed() == null ? "" : Long.toString(r.seed()),
                    Double.toString(r.top1()), Double.toString(r.relativeBops()), Double.toString(r.gbops()),
                    perLayer(r, l -> Integer.toString(l.weightBits())),
                    perLayer(r, l -> Integer.toString(l.inputBits())),
                    perLayer(r, l -> l.keptChannels() + "/" + l.channels()),
                    perLayer(r, l -> String.format(Locale.ROOT, "%.4f", l.keptRatio())),
                    r.model() == null ? "" : r.model(), r.validation())));
        }
        return out.toString();
    }

    /** {@code layer:value} pairs joined by {@code ;} — one CSV cell per quantity, any number of layers. */
    private static String perLayer(FrontierRow r, Function<FrontierRow.Layer, String> value) {
        return r.layers().stream().map(l -> l.layer() + ":" + value.apply(l)).collect(Collectors.joining(";"));
    }

    private static Map<String, Object> json(SweepReport report) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("sweep", report.sweep());
        doc.put("experiment", report.experiment());
        doc.put("completedTrials", report.count(TrialStatus.COMPLETED));
        List<Map<String, Object>> variants = new ArrayList<>();
        for (VariantFrontier f : report.frontiers()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("variant", f.variant());
            v.put("completed", f.frontier().size() + f.dominated().size());
            v.put("frontier", f.frontier().stream().map(p -> FrontierRow.of(p, report)).toList());
            v.put("dominated", f.dominated().stream().map(TrialPoint::trialId).toList());
            variants.add(v);
        }
        doc.put("variants", variants);
        return doc;
    }
}
