package bitsweep.export;

import bitsweep.artifact.FixedGateArtifact;
import java.io.IOException;
import java.nio.file.Path;

/** Turns a fixed-gate artifact into an ONNX model (pruned channels removed, integer weights). */
public final class OnnxExporter {
    private OnnxExporter() {
    }

    /**
     * @param opset 21 (int4/int16 weights) or 13 (int8 containers)
     * @param quantized false exports the same network in plain float32, unpruned (the size baseline)
     * @return the export summary
     */
    public static ExportSummary export(FixedGateArtifact artifact, Path out, int opset, boolean quantized)
            throws IOException {
        throw new UnsupportedOperationException("TODO(export helper): OnnxExporter.export");
    }
}
