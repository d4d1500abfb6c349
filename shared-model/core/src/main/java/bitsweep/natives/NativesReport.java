package bitsweep.natives;

import java.nio.file.Path;
import java.util.List;

/**
 * What a staged natives folder holds for one flavor.
 *
 * @param root     the staged folder (DJL's engine cache)
 * @param dir      the flavor's folder inside it
 * @param expected files expected in {@code dir} (and the index, for CUDA flavors, as a path under root)
 * @param missing  the expected files that are not there
 */
public record NativesReport(NativesLayout layout, String flavor, Path root, Path dir, List<String> expected,
                            List<String> present, List<String> missing) {

    public boolean complete() {
        return missing.isEmpty();
    }

    /** The error for users and worker logs: names the folder, the expected files and how to stage them. */
    public String errorMessage() {
        return "PyTorch natives for flavor " + flavor + " (DJL " + layout.djlVersion() + ", PyTorch "
                + layout.pytorchVersion() + ", " + layout.classifier() + ") are missing in " + root + "\n"
                + "  expected: " + String.join(", ", expected) + "\n"
                + "  missing:  " + String.join(", ", missing) + "\n"
                + "  Stage them on a machine with internet using the CUDA build (mvn -Dcuda package): "
                + "bitsweep natives stage --flavor " + flavor + " --dir DIR, copy DIR to this node and set "
                + "BITSWEEP_NATIVES_DIR=DIR (see docs/gpu.md).";
    }
}
