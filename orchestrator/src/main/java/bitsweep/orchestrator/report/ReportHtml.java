package bitsweep.orchestrator.report;

import static bitsweep.orchestrator.report.Html.esc;
import static bitsweep.orchestrator.report.Html.num;

import bitsweep.export.ValidationResult;
import bitsweep.io.AtomicFiles;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import bitsweep.trial.TrialResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code report.html}: one self-contained page (inline CSS and JS, the plot as a base64 PNG, no
 * network at view time). Sections: summary, plot, frontier models with their per-layer bits and
 * pruning, ONNX validation, and a sortable table of every trial. All strings from trial data are
 * HTML-escaped.
 */
public final class ReportHtml {

    public static final String FILE_NAME = "report.html";

    private ReportHtml() {
    }

    public static void write(Path dir, SweepReport report, byte[] plotPng) throws IOException {
        AtomicFiles.writeString(dir.resolve(FILE_NAME), render(report, plotPng, Instant.now()));
    }

    static String render(SweepReport report, byte[] plotPng, Instant generated) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>BitSweep report: ").append(esc(report.sweep())).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        h.append("<h1>BitSweep report: <code>").append(esc(report.sweep())).append("</code></h1>\n");
        summary(h, report, generated);
        plot(h, report, plotPng);
        frontierModels(h, report);
        validation(h, report);
        trials(h, report);
        h.append("<script>\n").append(SORT_JS).append("</script>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void summary(StringBuilder h, SweepReport r, Instant generated) {
        List<TrialResult> results = r.records().stream().map(TrialRecord::result)
                .filter(java.util.Objects::nonNull).toList();
        double total = results.stream().mapToDouble(TrialResult::wallSeconds).filter(Double::isFinite).sum();
        double longest = results.stream().mapToDouble(TrialResult::wallSeconds).filter(Double::isFinite)
                .max().orElse(0);
        long pending = r.count(TrialStatus.QUEUED) + r.count(TrialStatus.RUNNING);
        long pass = r.validations().values().stream().filter(v -> ValidationResult.PASS.equals(v.status())).count();
        h.append("<section id=\"summary\">\n<h2>Summary</h2>\n<table class=\"kv\">\n");
        kv(h, "sweep", esc(r.sweep()));
        kv(h, "experiment", esc(r.experiment() == null ? "unknown" : r.experiment()));
        kv(h, "trials", r.records().size() + " (" + r.count(TrialStatus.COMPLETED) + " completed, "
                + "<span class=\"" + (r.count(TrialStatus.FAILED) > 0 ? "bad" : "") + "\">"
                + r.count(TrialStatus.FAILED) + " failed</span>, " + r.count(TrialStatus.CANCELLED) + " cancelled, "
                + pending + " queued or running)");
        kv(h, "frontier models", r.frontierSize() + " in " + r.frontiers().size() + " variant(s)");
        kv(h, "ONNX validation", r.validations().isEmpty() ? "not run"
                : pass + " of " + r.validations().size() + " pass");
        kv(h, "wall time of trials", esc(Html.duration(total)) + " summed over trials; longest trial "
                + esc(Html.duration(longest)));
        kv(h, "generated", esc(generated.truncatedTo(ChronoUnit.SECONDS).toString()));
        h.append("</table>\n</section>\n");
    }

    private static void kv(StringBuilder h, String key, String htmlValue) {
        h.append("<tr><th>").append(esc(key)).append("</th><td>").append(htmlValue).append("</td></tr>\n");
    }

    private static void plot(StringBuilder h, SweepReport r, byte[] png) {
        h.append("<section id=\"plot\">\n<h2>Frontier</h2>\n");
        h.append("<img class=\"plot\" alt=\"top-1 versus relative BOPs per variant\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\">\n");
        h.append("<p class=\"files\">Files: <a href=\"").append(FrontierFiles.CSV).append("\">frontier.csv</a> · ")
                .append("<a href=\"").append(FrontierFiles.JSON).append("\">frontier.json</a> · ")
                .append("<a href=\"").append(FrontierPlot.SVG).append("\">frontier.svg</a> · ")
                .append("<a href=\"").append(ValidationFile.FILE_NAME).append("\">validation.json</a></p>\n");
        List<PaperReference> refs = PaperReference.forExperiment(r.experiment());
        if (!refs.isEmpty()) {
            h.append("<p class=\"note\">Black markers: the paper's reported results (");
            for (int i = 0; i < refs.size(); i++) {
                PaperReference ref = refs.get(i);
                h.append(i > 0 ? "; " : "").append(esc(ref.label())).append(": ").append(num(ref.relativeBops(), 2))
                        .append(" % BOPs, ").append(num(ref.top1(), 2)).append(" % top-1");
            }
            h.append(").</p>\n");
        }
        h.append("</section>\n");
    }

    private static void frontierModels(StringBuilder h, SweepReport r) {
        h.append("<section id=\"frontier-models\">\n<h2>Frontier models: bit widths and pruning</h2>\n");
        if (r.frontierSize() == 0) {
            h.append("<p class=\"bad\">No completed trial, so no frontier.</p>\n");
        }
        // Open every model's table on small sweeps; on big ones the summaries alone stay readable.
        String open = r.frontierSize() <= 8 ? " open" : "";
        for (VariantFrontier f : r.frontiers()) {
            h.append("<h3>variant <code>").append(esc(f.variant())).append("</code>: ")
                    .append(f.frontier().size()).append(" frontier of ")
                    .append(f.frontier().size() + f.dominated().size()).append(" completed</h3>\n");
            for (TrialPoint p : f.frontier()) {
                String status = r.validationStatus(p.trialId());
                h.append("<details class=\"model\"").append(open).append("><summary><code>").append(esc(p.trialId())).append("</code> — top-1 ")
                        .append(num(p.top1(), 2)).append(" %, ").append(num(p.relativeBops(), 3))
                        .append(" % BOPs, MU ").append(esc(Html.plain(p.mu())))
                        .append(p.seed() == null ? "" : ", seed " + p.seed())
                        .append(" <span class=\"status ").append(esc(status)).append("\">").append(esc(status))
                        .append("</span>");
                String model = r.modelPath(p.trialId());
                if (model != null) {
                    h.append(" <a href=\"").append(Html.href(model)).append("\">").append(esc(model)).append("</a>");
                }
                h.append("</summary>\n");
                if (p.layers().isEmpty()) {
                    h.append("<p>No bit table recorded.</p>\n");
                } else {
                    h.append("<table class=\"layers\"><thead><tr><th>layer</th><th>w bits</th><th>a bits (in)</th>")
                            .append("<th>a bits (out)</th><th>kept / total channels</th><th>kept</th>")
                            .append("<th>MACs</th><th>BOPs share</th></tr></thead><tbody>\n");
                    double totalBops = p.layers().stream().mapToDouble(l -> l.bops()).sum();
                    for (var l : p.layers()) {
                        double kept = l.channels() == 0 ? 0 : (double) l.keptChannels() / l.channels();
                        h.append("<tr><td><code>").append(esc(l.layer())).append("</code></td>")
                                .append("<td class=\"bits b").append(l.weightBits()).append("\">").append(l.weightBits())
                                .append("</td><td class=\"bits b").append(l.inputBits()).append("\">").append(l.inputBits())
                                .append("</td><td class=\"n\">").append(l.outputBits() == 0 ? "—" : Integer.toString(l.outputBits()))
                                .append("</td><td class=\"n\">").append(l.keptChannels()).append(" / ").append(l.channels())
                                .append("</td><td class=\"n\"><div class=\"bar\"><div style=\"width:")
                                .append(num(100 * kept, 1)).append("%\"></div></div>").append(num(100 * kept, 1))
                                .append(" %</td><td class=\"n\">").append(l.macs()).append("</td><td class=\"n\">")
                                .append(totalBops > 0 ? num(100 * l.bops() / totalBops, 1) + " %" : "")
                                .append("</td></tr>\n");
                    }
                    h.append("</tbody></table>\n");
                }
                h.append("</details>\n");
            }
        }
        h.append("</section>\n");
    }

    private static void validation(StringBuilder h, SweepReport r) {
        h.append("<section id=\"validation\">\n<h2>ONNX Runtime validation</h2>\n");
        if (r.validations().isEmpty()) {
            h.append("<p>Not run for this report (no exported models).</p>\n</section>\n");
            return;
        }
        h.append("<p class=\"note\">Pass: prediction agreement ≥ 99.9 % and |Δ top-1| ≤ 0.1 points between ONNX "
                + "Runtime and the DJL fixed-gate model.</p>\n");
        h.append("<div class=\"wide\"><table class=\"sortable\" id=\"validation-table\"><thead><tr><th>trial</th><th>status</th>"
                + "<th>EP</th><th>examples</th><th>ORT top-1 (%)</th><th>DJL top-1 (%)</th><th>agreement (%)</th>"
                + "<th>max |Δ logit|</th><th>model size</th><th>FP32 size</th><th>× smaller</th><th>model</th>"
                + "<th>detail</th></tr></thead><tbody>\n");
        for (VariantFrontier f : r.frontiers()) {
            for (TrialPoint p : f.frontier()) {
                ValidationResult v = r.validations().get(p.trialId());
                if (v == null) {
                    continue;
                }
                String model = r.modelPath(p.trialId());
                h.append("<tr class=\"").append(esc(v.status())).append("\"><td><code>").append(esc(p.trialId()))
                        .append("</code></td><td class=\"status ").append(esc(v.status())).append("\">")
                        .append(esc(v.status())).append("</td><td>").append(esc(v.executionProvider()))
                        .append("</td>").append(numCell(v.examples(), 0));
                if (v.examples() > 0) {
                    h.append(numCell(v.ortTop1(), 2)).append(numCell(v.djlTop1(), 2))
                            .append(numCell(100 * v.agreement(), 2)).append(numCell(v.maxAbsLogitDiff(), 6));
                } else {
                    h.append("<td data-sort=\"\"></td>".repeat(4));
                }
                h
                        .append("<td data-sort=\"").append(v.modelBytes()).append("\">").append(Html.bytes(v.modelBytes()))
                        .append("</td><td data-sort=\"").append(v.fp32ModelBytes()).append("\">")
                        .append(Html.bytes(v.fp32ModelBytes())).append("</td>")
                        .append(v.modelBytes() > 0 && v.fp32ModelBytes() > 0
                                ? numCell((double) v.fp32ModelBytes() / v.modelBytes(), 1) : "<td data-sort=\"\"></td>")
                        .append("<td>").append(model == null ? "" : "<a href=\"" + Html.href(model) + "\">"
                                + esc(model) + "</a>")
                        .append("</td><td>").append(esc(v.message())).append("</td></tr>\n");
            }
        }
        h.append("</tbody></table></div>\n</section>\n");
    }

    private static void trials(StringBuilder h, SweepReport r) {
        Set<String> onFrontier = new HashSet<>();
        r.frontiers().forEach(f -> f.frontier().forEach(p -> onFrontier.add(p.trialId())));
        h.append("<section id=\"trials\">\n<h2>All trials</h2>\n<p class=\"note\">Click a column header to sort.</p>\n");
        h.append("<table class=\"sortable\" id=\"trial-table\"><thead><tr><th>trial</th><th>variant</th>"
                + "<th>status</th><th>MU</th><th>seed</th><th>top-1 (%)</th><th>rel. BOPs (%)</th><th>GBOPs</th>"
                + "<th>frontier</th><th>attempts</th><th>wall time</th><th>error</th></tr></thead><tbody>\n");
        for (TrialRecord t : r.records()) {
            var spec = t.spec();
            var config = spec.config();
            TrialResult res = t.result();
            Double mu = config == null ? null : config.gatingLambda();
            Long seed = config == null ? null : config.seed();
            h.append("<tr class=\"").append(esc(t.status())).append("\"><td><code>").append(esc(spec.trialId()))
                    .append("</code></td><td>").append(esc(spec.variant())).append("</td><td class=\"status ")
                    .append(esc(t.status())).append("\">").append(esc(t.status())).append("</td>")
                    .append("<td data-sort=\"").append(mu == null ? "" : mu).append("\">").append(esc(Html.plain(mu)))
                    .append("</td>").append(seed == null ? "<td data-sort=\"\"></td>" : numCell(seed, 0))
                    .append(res == null ? "<td data-sort=\"\"></td>" : numCell(res.top1(), 2))
                    .append(res == null ? "<td data-sort=\"\"></td>" : numCell(res.relativeBops(), 3))
                    .append(res == null ? "<td data-sort=\"\"></td>" : numCell(res.gbops(), 4))
                    .append("<td>").append(onFrontier.contains(spec.trialId()) ? "★" : "").append("</td>")
                    .append(numCell(t.attempts(), 0))
                    .append("<td data-sort=\"").append(res == null ? "" : res.wallSeconds()).append("\">")
                    .append(res == null ? "" : esc(Html.duration(res.wallSeconds()))).append("</td><td>")
                    .append(esc(t.error())).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n</section>\n");
    }

    private static String numCell(double value, int decimals) {
        String shown = num(value, decimals);
        return "<td data-sort=\"" + (Double.isFinite(value) ? value : "") + "\">" + shown + "</td>";
    }

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;max-width:1200px;\
            padding:0 1em;color:#222}
            h1{font-size:1.6em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
            code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em}
            table{border-collapse:collapse;margin:.5em 0;font-size:.9em}
            th,td{border:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}
            td[data-sort],td.n,td.bits{text-align:right}
            table.kv th{background:#f6f6f6}
            code,td a,summary a{white-space:nowrap}
            .wide{overflow-x:auto}
            thead th{background:#f0f3f7}
            table.sortable thead th{cursor:pointer;user-select:none}
            table.sortable thead th[aria-sort=ascending]::after{content:" ▲"}
            table.sortable thead th[aria-sort=descending]::after{content:" ▼"}
            .plot{max-width:100%;border:1px solid #eee}
            .note,.files{color:#555;font-size:.9em}
            .status.pass{background:#d8f5d8;color:#135d13;font-weight:600}
            .status.mismatch{background:#ffd9b3;color:#8a3b00;font-weight:700}
            .status.error,.status.failed{background:#ffd6d6;color:#8b0000;font-weight:700}
            .status.not-validated,.status.cancelled,.status.queued,.status.running{color:#777}
            span.status{padding:0 .4em;border-radius:3px}
            .bad{color:#8b0000}
            details.model{margin:.6em 0;padding:.3em .6em;border:1px solid #e3e3e3;border-radius:4px}
            details.model summary{cursor:pointer}
            .bar{display:inline-block;width:80px;height:.7em;background:#eee;margin-right:.4em;vertical-align:middle}
            .bar div{height:100%;background:#0072b2}
            td.bits.b0{background:#eee;color:#888}td.bits.b2{background:#fde0dd}td.bits.b4{background:#fcc5c0}
            td.bits.b8{background:#deebf7}td.bits.b16{background:#c6dbef}td.bits.b32{background:#9ecae1}
            """;

    /** Click a header to sort by that column; numbers use the cell's data-sort value, blanks go last. */
    private static final String SORT_JS = """
            (function () {
              function key(cell) {
                var raw = cell.getAttribute('data-sort');
                if (raw === null) { return cell.textContent.trim().toLowerCase(); }
                return raw === '' ? null : parseFloat(raw);
              }
              document.querySelectorAll('table.sortable').forEach(function (table) {
                var headers = table.tHead.rows[0].cells;
                Array.prototype.forEach.call(headers, function (th, col) {
                  th.addEventListener('click', function () {
                    var asc = th.getAttribute('aria-sort') !== 'ascending';
                    Array.prototype.forEach.call(headers, function (h) { h.removeAttribute('aria-sort'); });
                    th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
                    var body = table.tBodies[0];
                    var rows = Array.prototype.slice.call(body.rows);
                    rows.sort(function (a, b) {
                      var x = key(a.cells[col]), y = key(b.cells[col]);
                      if (x === null || y === null) { return (x === null) - (y === null); }
                      var r = (typeof x === 'number' && typeof y === 'number') ? x - y : String(x).localeCompare(String(y));
                      return asc ? r : -r;
                    });
                    rows.forEach(function (row) { body.appendChild(row); });
                  });
                });
              });
            })();
            """;
}
