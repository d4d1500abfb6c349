package bitsweep.orchestrator.report;

import bitsweep.export.ValidationResult;
import java.nio.file.Path;

/**
 * Exports one frontier model to ONNX and validates it. Implementations never throw for a bad model:
 * they return a result with status {@code error} so one broken trial never stops the report.
 */
@FunctionalInterface
public interface ModelCheck {

    /**
     * @param point     the frontier trial
     * @param artifact  its fixed-gate artifact (absolute)
     * @param onnxOut   where to write the model ({@code <results>/models/<trial>.onnx})
     * @param modelPath the model's path relative to the results folder, to record in the result
     */
    ValidationResult exportAndValidate(TrialPoint point, Path artifact, Path onnxOut, String modelPath);
}
