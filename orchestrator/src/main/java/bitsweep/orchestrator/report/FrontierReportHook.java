package bitsweep.orchestrator.report;

import java.nio.file.Path;

/**
 * What a finished sweep hands its user, run by the supervisor once every trial has ended: the
 * frontiers, the ONNX export and ONNX Runtime validation of every frontier model on the full test
 * set, and {@code report.html} — the same as {@code bitsweep report RESULTS_DIR}.
 *
 * <p>Registered through {@code META-INF/services} so the supervisor needs no compile-time knowledge
 * of the report. Each trial's own {@code data-dir} is used for validation; relative paths resolve
 * against the orchestrator's working directory, as they did for the workers in local mode.
 */
public final class FrontierReportHook implements SweepCompletionHook {

    /** Default ONNX opset of the exported frontier models (int4/int16 containers need 21). */
    static final int OPSET = 21;

    @Override
    public void onSweepComplete(SweepCompletion completion) throws Exception {
        try (OnnxModelCheck check = new OnnxModelCheck(OPSET, 0, FrontierReportHook::dataDirOf)) {
            new SweepFinisher(check).finish(completion.resultsDir());
        }
    }

    private static Path dataDirOf(TrialPoint p) {
        return p.dataDir() == null ? null : Path.of(p.dataDir());
    }
}
