package bitsweep.app.cli;

import bitsweep.artifact.ArtifactIO;
import bitsweep.artifact.FixedGateArtifact;
import bitsweep.data.Datasets;
import bitsweep.data.ImageDataset;
import bitsweep.export.ExportSummary;
import bitsweep.export.OnnxExporter;
import bitsweep.export.OnnxValidator;
import bitsweep.export.ValidationResult;
import bitsweep.io.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bitsweep export ARTIFACT --out model.onnx [--opset 21|13] [--fp32] [--validate --data-dir D --limit N]}:
 * exports one fixed-gate artifact and optionally validates it in ONNX Runtime. Prints a JSON object
 * with the export summary (and the validation result) on stdout.
 * Exit codes: 0 ok/pass, 1 validation mismatch or error, 2 bad input.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a fixed-gate artifact (.bbfg) to ONNX; optionally validate it in ONNX Runtime.")
public final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ARTIFACT", description = "fixed-gate artifact file (.bbfg)")
    Path artifactFile;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "ONNX model to write")
    Path out;

    @Option(names = "--opset", defaultValue = "21", paramLabel = "21|13",
            description = "21 (int4/int16 weights, default) or 13 (int8 containers, older runtimes)")
    int opset;

    @Option(names = "--fp32", description = "write the plain float32, unpruned network instead (size baseline)")
    boolean fp32;

    @Option(names = "--validate", description = "run the model in ONNX Runtime on the test set and compare with DJL")
    boolean validate;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "data set folder (needed with --validate)")
    Path dataDir;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "validate on at most N test examples (0 = all)")
    int limit;

    @Override
    public Integer call() throws IOException {
        if (opset != 21 && opset != 13) {
            throw new IllegalArgumentException("--opset: expected 21 or 13, got " + opset);
        }
        if (validate && dataDir == null) {
            throw new IllegalArgumentException("--validate needs --data-dir (the folder with the test set)");
        }
        // the catches below name what was being done; an unreadable input is bad input here (exit 2)
        FixedGateArtifact artifact;
        try {
            artifact = ArtifactIO.read(artifactFile);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read artifact " + artifactFile + ": " + e.getMessage(), e);
        }
        ExportSummary summary;
        try {
            summary = OnnxExporter.export(artifact, out, opset, !fp32);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalArgumentException("cannot export " + artifactFile + ": " + e.getMessage(), e);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("export", summary);
        int status = 0;
        if (validate) {
            ImageDataset test;
            try {
                test = Datasets.open(artifact.experiment(), dataDir, false);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot open the " + artifact.experiment() + " test set in "
                        + dataDir + ": " + e.getMessage(), e);
            }
            ValidationResult result;
            try (test) {
                result = OnnxValidator.validate(out, artifact, test, limit);
            }
            report.put("validation", result);
            status = ValidationResult.PASS.equals(result.status()) ? 0 : 1;
        }
        spec.commandLine().getOut().println(Json.PRETTY.writeValueAsString(report));
        spec.commandLine().getOut().flush();
        return status;
    }
}
