package bitsweep.orchestrator.report;

/** Where a frontier model's ONNX file lives inside the results folder. */
public final class ModelFiles {
    public static final String DIR = "models";

    private ModelFiles() {
    }

    /** {@code models/<trialId>.onnx}, with characters unsafe in file names replaced by {@code _}. */
    public static String relativePath(String trialId) {
        return DIR + "/" + trialId.replaceAll("[^A-Za-z0-9._-]", "_") + ".onnx";
    }
}
