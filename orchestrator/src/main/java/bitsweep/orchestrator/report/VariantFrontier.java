package bitsweep.orchestrator.report;

import java.util.List;

/**
 * The Pareto frontier of one variant.
 *
 * @param variant   the variant's name
 * @param frontier  non-dominated points, by relative BOPs ascending (so top-1 strictly ascending too)
 * @param dominated the variant's other completed points (dominated or exact duplicates of a frontier
 *                  point), by relative BOPs ascending then trial id
 */
public record VariantFrontier(String variant, List<TrialPoint> frontier, List<TrialPoint> dominated) {

    public VariantFrontier {
        frontier = List.copyOf(frontier);
        dominated = List.copyOf(dominated);
    }

    /** Every completed point of the variant. */
    public List<TrialPoint> all() {
        var all = new java.util.ArrayList<TrialPoint>(frontier);
        all.addAll(dominated);
        return all;
    }

    public boolean contains(String trialId) {
        return frontier.stream().anyMatch(p -> p.trialId().equals(trialId));
    }
}
