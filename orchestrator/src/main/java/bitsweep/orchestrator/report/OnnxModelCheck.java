package bitsweep.orchestrator.report;

import bitsweep.artifact.ArtifactIO;
import bitsweep.artifact.FixedGateArtifact;
import bitsweep.data.Datasets;
import bitsweep.data.ImageDataset;
import bitsweep.export.ExportSummary;
import bitsweep.export.OnnxExporter;
import bitsweep.export.OnnxValidator;
import bitsweep.export.ValidationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real {@link ModelCheck}: {@link ArtifactIO#read} → {@link OnnxExporter#export} →
 * {@link OnnxValidator#validate} on the experiment's test split. Test sets are opened once per
 * (experiment, data dir) and closed with this object.
 */
public final class OnnxModelCheck implements ModelCheck, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxModelCheck.class);

    private final int opset;
    private final int exampleLimit;
    private final Function<TrialPoint, Path> dataDirOf;
    private final TestSetOpener opener;
    private final Map<String, ImageDataset> testSets = new HashMap<>();

    /**
     * @param opset        ONNX opset (21, or 13 for the int8-container fallback)
     * @param exampleLimit validate on at most this many test examples (0 = all)
     * @param dataDirOf    the data folder of a trial (from its config, or a command-line override)
     */
    public OnnxModelCheck(int opset, int exampleLimit, Function<TrialPoint, Path> dataDirOf) {
        this(opset, exampleLimit, dataDirOf, (experiment, dir) -> Datasets.open(experiment, dir, false));
    }

    /** @param opener opens an experiment's test split (normally {@link Datasets#open} with {@code train=false}) */
    public OnnxModelCheck(int opset, int exampleLimit, Function<TrialPoint, Path> dataDirOf, TestSetOpener opener) {
        this.opset = opset;
        this.exampleLimit = exampleLimit;
        this.dataDirOf = dataDirOf;
        this.opener = opener;
    }

    /** Opens the test split of an experiment from its data folder. */
    @FunctionalInterface
    public interface TestSetOpener {
        ImageDataset open(String experiment, Path dataDir) throws IOException;
    }

    @Override
    public ValidationResult exportAndValidate(TrialPoint point, Path artifactFile, Path onnxOut, String modelPath) {
        long modelBytes = 0;
        try {
            FixedGateArtifact artifact = ArtifactIO.read(artifactFile);
            Files.createDirectories(onnxOut.toAbsolutePath().getParent());
            ExportSummary summary = OnnxExporter.export(artifact, onnxOut, opset, true);
            modelBytes = summary.bytes();
            LOG.info("Exported {} to {} ({} bytes, opset {}, {} channels removed, {} kept with zero weights)",
                    point.trialId(), onnxOut, summary.bytes(), summary.opset(), summary.removedChannels(),
                    summary.keptZeroChannels());
            Path dataDir = dataDirOf.apply(point);
            if (dataDir == null) {
                return error(point, modelPath, modelBytes, "no data dir: the trial config has no data-dir and none"
                        + " was given (--data-dir)");
            }
            ImageDataset testSet = testSet(artifact.experiment(), dataDir);
            ValidationResult v = OnnxValidator.validate(onnxOut, artifact, testSet, exampleLimit);
            long fp32 = v.fp32ModelBytes() > 0 ? v.fp32ModelBytes() : fp32Bytes(artifact, onnxOut);
            String status = v.status();
            String message = v.message();
            if (ValidationResult.PASS.equals(status) && !ValidationResult.passes(v.agreement(), v.ortTop1(), v.djlTop1())) {
                // The report must never show a pass the numbers do not support.
                status = ValidationResult.MISMATCH;
                message = "validator said pass, but agreement " + v.agreement() + " / |Δ top-1| "
                        + Math.abs(v.ortTop1() - v.djlTop1()) + " fail the pass rule";
            }
            ValidationResult stored = new ValidationResult(point.trialId(), modelPath, v.executionProvider(),
                    v.examples(), v.ortTop1(), v.djlTop1(), v.agreement(), v.maxAbsLogitDiff(), modelBytes, fp32,
                    status, message);
            LOG.info("Validated {}: {} (ORT {} %, DJL {} %, agreement {}, {} examples on {})", point.trialId(),
                    status, v.ortTop1(), v.djlTop1(), v.agreement(), v.examples(), v.executionProvider());
            return stored;
        } catch (Exception | LinkageError e) {
            // UnsatisfiedLinkError (natives) and exporter bugs alike: record and go on with the next model.
            LOG.warn("Export/validation of trial {} failed: {}", point.trialId(), e.toString());
            return error(point, modelPath, modelBytes, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private ImageDataset testSet(String experiment, Path dataDir) throws IOException {
        String key = experiment + "|" + dataDir.toAbsolutePath().normalize();
        ImageDataset set = testSets.get(key);
        if (set == null) {
            set = opener.open(experiment, dataDir);
            testSets.put(key, set);
        }
        return set;
    }

    /** The FP32, unpruned export of the same network: the size baseline (written to a temp file, then removed). */
    private long fp32Bytes(FixedGateArtifact artifact, Path onnxOut) throws IOException {
        Path tmp = Files.createTempFile(onnxOut.toAbsolutePath().getParent(), ".fp32-", ".onnx");
        try {
            return OnnxExporter.export(artifact, tmp, opset, false).bytes();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static ValidationResult error(TrialPoint p, String modelPath, long modelBytes, String message) {
        return new ValidationResult(p.trialId(), modelPath, null, 0, 0, 0, 0, 0, modelBytes, 0,
                ValidationResult.ERROR, message);
    }

    @Override
    public void close() {
        testSets.values().forEach(ImageDataset::close);
        testSets.clear();
    }
}
