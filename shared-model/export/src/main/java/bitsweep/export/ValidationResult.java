package bitsweep.export;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * ONNX Runtime validation of one exported model against the DJL fixed-gate evaluation.
 *
 * @param trialId           source trial
 * @param model             path of the .onnx file (as given)
 * @param executionProvider {@code CUDA} or {@code CPU}
 * @param examples          test examples compared
 * @param ortTop1           ONNX Runtime top-1 in percent
 * @param djlTop1           DJL fixed-gate top-1 in percent on the same examples
 * @param agreement         fraction of examples with the same predicted class
 * @param maxAbsLogitDiff   max |logit_ORT − logit_DJL|
 * @param modelBytes        size of the exported model
 * @param fp32ModelBytes    size of the same network exported with float weights, unpruned
 * @param status            {@code pass}, {@code mismatch} or {@code error}
 * @param message           human-readable detail (why mismatch/error), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ValidationResult(String trialId, String model, String executionProvider, int examples,
                               double ortTop1, double djlTop1, double agreement, double maxAbsLogitDiff,
                               long modelBytes, long fp32ModelBytes, String status, String message) {
    public static final String PASS = "pass";
    public static final String MISMATCH = "mismatch";
    public static final String ERROR = "error";

    /** Pass rule of the export issue: agreement ≥ 99.9 % and |Δ top-1| ≤ 0.1 points. */
    public static boolean passes(double agreement, double ortTop1, double djlTop1) {
        return agreement >= 0.999 && Math.abs(ortTop1 - djlTop1) <= 0.1;
    }
}
