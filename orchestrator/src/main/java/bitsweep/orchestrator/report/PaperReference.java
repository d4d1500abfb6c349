package bitsweep.orchestrator.report;

import java.util.List;
import java.util.Locale;

/**
 * A result reported by the Bayesian Bits paper / reference README (spec §11), drawn on the frontier
 * plot so a user sees how a run compares.
 *
 * @param label        legend text
 * @param relativeBops relative BOPs in percent
 * @param top1         top-1 in percent
 */
public record PaperReference(String label, double relativeBops, double top1) {

    /** The reference points of an experiment; none for ImageNet (spec §11 gives no figures) or unknown ones. */
    public static List<PaperReference> forExperiment(String experiment) {
        if (experiment == null) {
            return List.of();
        }
        return switch (experiment.toLowerCase(Locale.ROOT)) {
            case "mnist" -> List.of(new PaperReference("paper LeNet-5, MU 0.1", 0.36, 99.30));
            case "cifar10" -> List.of(new PaperReference("paper VGG-7, MU 0.01", 0.51, 93.23),
                    new PaperReference("paper VGG-7, MU 0.1", 0.29, 91.96));
            default -> List.of();
        };
    }
}
