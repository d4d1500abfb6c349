package bitsweep.app.cli;

import bitsweep.export.ValidationResult;
import bitsweep.orchestrator.report.Html;
import bitsweep.orchestrator.report.OnnxModelCheck;
import bitsweep.orchestrator.report.ReportHtml;
import bitsweep.orchestrator.report.SweepFinisher;
import bitsweep.orchestrator.report.SweepReport;
import bitsweep.orchestrator.report.TrialPoint;
import bitsweep.orchestrator.report.VariantFrontier;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code bitsweep report RESULTS_DIR}: (re)computes frontiers, exports/validates models and writes the report. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Computes the Pareto frontiers of a sweep's results folder, exports and validates every "
                + "frontier model (ONNX Runtime), and writes frontier.csv/.json/.png/.svg, validation.json and "
                + "report.html into it."})
public final class ReportCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RESULTS_DIR", description = "the sweep's results folder (holds trials.jsonl)")
    Path resultsDir;

    @Option(names = "--no-export", description = "skip ONNX export and validation; reuse an existing "
            + "validation.json if present")
    boolean noExport;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "test data folder for validation "
            + "(default: each trial's data-dir)")
    Path dataDir;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "validate on at most N test examples (default: ${DEFAULT-VALUE} = the whole test set)")
    int limit;

    @Option(names = "--opset", defaultValue = "21", description = "ONNX opset: 21 (int4/int16 weights) or 13 "
            + "(int8 containers, for older runtimes); default ${DEFAULT-VALUE}")
    int opset;

    @Override
    public Integer call() throws Exception {
        if (opset != 21 && opset != 13) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--opset must be 21 or 13, got " + opset);
        }
        if (limit < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be ≥ 0, got " + limit);
        }
        SweepReport report;
        if (noExport) {
            report = new SweepFinisher(null).finish(resultsDir);
        } else {
            try (OnnxModelCheck check = new OnnxModelCheck(opset, limit, this::dataDirOf)) {
                report = new SweepFinisher(check).finish(resultsDir);
            }
        }
        print(report);
        return 0;
    }

    private Path dataDirOf(TrialPoint p) {
        if (dataDir != null) {
            return dataDir;
        }
        return p.dataDir() == null ? null : Path.of(p.dataDir());
    }

    /** The command's actual output: one line per frontier model, then where the report is. */
    private void print(SweepReport report) {
        var out = spec.commandLine().getOut();
        int idWidth = Math.max(5, report.frontiers().stream().flatMap(f -> f.frontier().stream())
                .mapToInt(p -> p.trialId().length()).max().orElse(0));
        int variantWidth = Math.max(7, report.frontiers().stream().mapToInt(f -> f.variant().length()).max().orElse(0));
        String head = "%-" + variantWidth + "s  %-" + idWidth + "s  %10s %9s %9s  %s%n";
        String row = "%-" + variantWidth + "s  %-" + idWidth + "s  %10s %9.3f %9.2f  %s%n";
        out.printf(head, "variant", "trial", "MU", "BOPs %", "top-1 %", "validation");
        for (VariantFrontier f : report.frontiers()) {
            for (TrialPoint p : f.frontier()) {
                out.printf(java.util.Locale.ROOT, row, f.variant(), p.trialId(),
                        Html.plain(p.mu()), p.relativeBops(), p.top1(), report.validationStatus(p.trialId()));
            }
        }
        long bad = report.validations().values().stream()
                .filter(v -> !ValidationResult.PASS.equals(v.status())).count();
        out.printf("%d frontier model(s); %d not passing validation; report: %s%n", report.frontierSize(), bad,
                resultsDir.resolve(ReportHtml.FILE_NAME));
        out.flush();
    }
}
