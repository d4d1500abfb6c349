package bitsweep.train.schedule;

/**
 * Fixed-gate fine-tuning schedule (spec §9 step 5): cosine annealing to 0 over all fine-tuning
 * iterations, stepped after every iteration, so iteration {@code i} (0-based) runs at
 * {@code base·(1 + cos(π·i/T))/2} with {@code T = epochs × iterationsPerEpoch}.
 */
public record FineTuneCosine(long totalIterations) {

    public double factor(long iteration) {
        return (1 + Math.cos(Math.PI * iteration / totalIterations)) / 2;
    }
}
