package bitsweep.export;

import bitsweep.artifact.FixedGateArtifact;
import bitsweep.data.ImageDataset;
import java.nio.file.Path;

/** Runs an exported model in ONNX Runtime on a test set and compares with the DJL fixed-gate model. */
public final class OnnxValidator {
    private OnnxValidator() {
    }

    /** @param limit compare at most this many examples (0 = the whole set) */
    public static ValidationResult validate(Path onnxModel, FixedGateArtifact artifact, ImageDataset testSet,
                                            int limit) {
        throw new UnsupportedOperationException("TODO(export helper): OnnxValidator.validate");
    }
}
