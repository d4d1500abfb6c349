package bitsweep.sweep;

import java.nio.file.Path;
import java.time.Duration;
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
 * @param stallTimeout      an attempt that reports no progress for this long is aborted; null = derived
 *                          from the progress seen so far (see the supervisor's liveness rules)
 * @param maxTrialTime      an attempt running longer than this is aborted; null = no limit
 * @param metric            W&B-style {@code metric:} naming the "best" trial; null = none
 */
public record Sweep(String name, Path file, String experiment, List<TrialSpec> trials, int maxAttempts,
                    int refineExtraTrials, Duration stallTimeout, Duration maxTrialTime, Metric metric) {

    /**
     * @param name {@code top1}, {@code relative-bops} or {@code gbops}
     * @param goal {@code maximize} or {@code minimize}
     */
    public record Metric(String name, String goal) {
        /** The best completed trial by this metric, if any completed. */
        public java.util.Optional<TrialRecord> best(List<TrialRecord> trials) {
            java.util.Comparator<TrialRecord> order = java.util.Comparator.comparingDouble(this::value);
            var completed = trials.stream().filter(t -> t.result() != null && t.status() == TrialStatus.COMPLETED);
            return goal.equals("maximize") ? completed.max(order) : completed.min(order);
        }

        private double value(TrialRecord t) {
            return switch (name) {
                case "top1" -> t.result().top1();
                case "relative-bops" -> t.result().relativeBops();
                default -> t.result().gbops();
            };
        }
    }

    /** A sweep with the default liveness limits (derived stall timeout, no trial-time limit). */
    public Sweep(String name, Path file, String experiment, List<TrialSpec> trials, int maxAttempts,
                 int refineExtraTrials) {
        this(name, file, experiment, trials, maxAttempts, refineExtraTrials, null, null, null);
    }

    public Sweep withLimits(Duration stall, Duration maxTime) {
        return new Sweep(name, file, experiment, trials, maxAttempts, refineExtraTrials, stall, maxTime, metric);
    }
}
