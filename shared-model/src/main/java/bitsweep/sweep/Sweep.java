package bitsweep.sweep;

import java.nio.file.Path;
import java.util.List;

/**
 * A parsed, validated and expanded sweep file.
 *
 * @param name              the sweep's name (results go to {@code results/<name>/} by default)
 * @param file              the file it came from
 * @param experiment        {@code mnist}, {@code cifar10} or {@code imagenet}
 * @param trials            every trial, in a stable order
 * @param maxAttempts       how many times a trial is started before it is marked failed (default 3)
 * @param refineExtraTrials extra MU values to add where the frontier has gaps (0 = no refinement)
 */
public record Sweep(String name, Path file, String experiment, List<TrialSpec> trials, int maxAttempts,
                    int refineExtraTrials) {
}
