package bitsweep.orchestrator.report;

import bitsweep.export.ValidationResult;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a results folder into what a sweep hands its user: reads {@code trials.jsonl}, computes the
 * frontiers, exports and validates every frontier model (when a {@link ModelCheck} is given), and
 * writes {@code validation.json}, {@code frontier.csv/.json}, {@code frontier.png/.svg} and
 * {@code report.html}. A model whose export or validation fails is recorded with status
 * {@code error}; the report is written regardless.
 *
 * <p>Without a model check (the {@code --no-export} path) the validation results of an earlier run are
 * reused from {@code validation.json} when present, so regenerating the report keeps them.
 */
public final class SweepFinisher {

    private static final Logger LOG = LoggerFactory.getLogger(SweepFinisher.class);
    /** Where the supervisor stores a trial's fixed-gate artifact when the record does not say. */
    static final String DEFAULT_ARTIFACT = "model.bbfg";

    private final ModelCheck modelCheck;

    /** @param modelCheck exporter + validator, or null to skip the ONNX step */
    public SweepFinisher(ModelCheck modelCheck) {
        this.modelCheck = modelCheck;
    }

    public SweepReport finish(Path resultsDir) throws IOException {
        List<TrialRecord> records = TrialRecordsReader.read(resultsDir.resolve(TrialRecordsReader.FILE_NAME));
        List<VariantFrontier> frontiers = ParetoFrontier.of(records);
        String sweep = sweepName(resultsDir, records);
        String experiment = experiment(records);
        LOG.info("Sweep {}: {} trials, {} completed, {} frontier models in {} variant(s)", sweep, records.size(),
                records.stream().filter(r -> r.status() == TrialStatus.COMPLETED).count(),
                frontiers.stream().mapToInt(f -> f.frontier().size()).sum(), frontiers.size());

        Map<String, ValidationResult> validations = modelCheck == null
                ? previousValidations(resultsDir, frontiers)
                : exportAndValidate(resultsDir, sweep, frontiers);
        SweepReport report = new SweepReport(sweep, experiment, records, frontiers, validations);
        return write(resultsDir, report);
    }

    /** Writes the frontier files, plots and HTML of an already assembled report. */
    public static SweepReport write(Path resultsDir, SweepReport report) throws IOException {
        FrontierFiles.write(resultsDir, report);
        byte[] png = FrontierPlot.write(resultsDir, report);
        ReportHtml.write(resultsDir, report, png);
        LOG.info("Wrote {}, {}, {}, {} and {} in {}", FrontierFiles.CSV, FrontierFiles.JSON, FrontierPlot.PNG,
                FrontierPlot.SVG, ReportHtml.FILE_NAME, resultsDir);
        return report;
    }

    private Map<String, ValidationResult> exportAndValidate(Path dir, String sweep, List<VariantFrontier> frontiers)
            throws IOException {
        List<TrialPoint> points = new ArrayList<>();
        frontiers.forEach(f -> points.addAll(f.frontier()));
        Map<String, ValidationResult> results = new LinkedHashMap<>();
        int i = 0;
        for (TrialPoint p : points) {
            i++;
            String modelPath = ModelFiles.relativePath(p.trialId());
            Path artifact = artifactPath(dir, p);
            LOG.info("Frontier model {}/{}: trial {} ({} % BOPs, {} % top-1)", i, points.size(), p.trialId(),
                    p.relativeBops(), p.top1());
            ValidationResult v;
            if (!Files.isRegularFile(artifact)) {
                v = new ValidationResult(p.trialId(), modelPath, null, 0, 0, 0, 0, 0, 0, 0, ValidationResult.ERROR,
                        "fixed-gate artifact not found: " + artifact);
                LOG.warn("Trial {}: {}", p.trialId(), v.message());
            } else {
                v = Objects.requireNonNull(modelCheck.exportAndValidate(p, artifact, dir.resolve(modelPath), modelPath),
                        "model check returned null");
            }
            results.put(p.trialId(), v);
        }
        ValidationFile.write(dir, sweep, new ArrayList<>(results.values()));
        return results;
    }

    static Path artifactPath(Path dir, TrialPoint p) {
        if (p.artifact() != null && !p.artifact().isBlank()) {
            return dir.resolve(p.artifact());
        }
        return dir.resolve("trials").resolve(p.trialId()).resolve(DEFAULT_ARTIFACT);
    }

    private static Map<String, ValidationResult> previousValidations(Path dir, List<VariantFrontier> frontiers)
            throws IOException {
        Map<String, ValidationResult> kept = new LinkedHashMap<>();
        for (ValidationResult v : ValidationFile.readIfPresent(dir)) {
            if (v.trialId() != null && frontiers.stream().anyMatch(f -> f.contains(v.trialId()))) {
                kept.put(v.trialId(), v);
            }
        }
        return kept;
    }

    private static String sweepName(Path dir, List<TrialRecord> records) {
        return records.stream().map(r -> r.spec().sweep()).filter(Objects::nonNull).findFirst()
                .orElse(dir.toAbsolutePath().normalize().getFileName().toString());
    }

    private static String experiment(List<TrialRecord> records) {
        return records.stream().map(r -> r.spec().config() != null ? r.spec().config()
                        : r.result() != null ? r.result().config() : null)
                .filter(Objects::nonNull).map(c -> c.experiment()).filter(Objects::nonNull).findFirst().orElse(null);
    }
}
