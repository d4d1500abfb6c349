package bitsweep.orchestrator.report;

import bitsweep.export.ValidationResult;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the frontier files, the plot and the HTML report are written from; computed once by
 * {@link SweepFinisher} so the writers stay pure formatting.
 *
 * @param sweep       the sweep's name
 * @param experiment  {@code mnist}, {@code cifar10}, {@code imagenet} (or null when unknown)
 * @param records     every trial record, in file order
 * @param frontiers   one frontier per variant, by variant name
 * @param validations validation result per frontier trial id (absent: not exported/validated)
 */
public record SweepReport(String sweep, String experiment, List<TrialRecord> records,
                          List<VariantFrontier> frontiers, Map<String, ValidationResult> validations) {

    /** Status string shown for a frontier model that was not exported/validated in this run. */
    public static final String NOT_VALIDATED = "not-validated";

    public SweepReport {
        records = List.copyOf(records);
        frontiers = List.copyOf(frontiers);
        validations = Map.copyOf(validations);
    }

    public Optional<ValidationResult> validation(String trialId) {
        return Optional.ofNullable(validations.get(trialId));
    }

    public String validationStatus(String trialId) {
        return validation(trialId).map(ValidationResult::status).orElse(NOT_VALIDATED);
    }

    /** The model link of a frontier trial, or null when no model was exported for it. */
    public String modelPath(String trialId) {
        return validation(trialId)
                .filter(v -> !ValidationResult.ERROR.equals(v.status()) || v.modelBytes() > 0)
                .map(v -> ModelFiles.relativePath(trialId))
                .orElse(null);
    }

    public long count(TrialStatus status) {
        return records.stream().filter(r -> r.status() == status).count();
    }

    public int frontierSize() {
        return frontiers.stream().mapToInt(f -> f.frontier().size()).sum();
    }
}
