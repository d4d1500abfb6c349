package bitsweep.orchestrator.report;

import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pareto frontiers over (relative BOPs ↓, top-1 ↑), one per variant.
 *
 * <p>Rule (deterministic for any input order):
 * <ul>
 *   <li>Only {@code completed} trials with a result and finite top-1 and relative BOPs take part;
 *       failed, cancelled, queued and running trials are ignored.</li>
 *   <li>A dominates B when A's relative BOPs ≤ B's and A's top-1 ≥ B's with at least one strict.
 *       Dominated points are not on the frontier.</li>
 *   <li>Exact duplicates (equal relative BOPs and equal top-1): exactly one is on the frontier, the one
 *       with the lexicographically smallest trial id; the others are listed as dominated.</li>
 * </ul>
 * Implemented as one pass over the points sorted by (relative BOPs ↑, top-1 ↓, trial id ↑): a point
 * joins the frontier iff its top-1 is strictly higher than every point before it.
 */
public final class ParetoFrontier {

    private static final Logger LOG = LoggerFactory.getLogger(ParetoFrontier.class);

    static final Comparator<TrialPoint> SWEEP_ORDER = Comparator.comparingDouble(TrialPoint::relativeBops)
            .thenComparing(Comparator.comparingDouble(TrialPoint::top1).reversed())
            .thenComparing(TrialPoint::trialId);

    private ParetoFrontier() {
    }

    /** Frontiers of every variant that has at least one usable completed trial, by variant name. */
    public static List<VariantFrontier> of(List<TrialRecord> records) {
        Map<String, List<TrialPoint>> byVariant = new TreeMap<>();
        for (TrialRecord record : records) {
            if (record.status() != TrialStatus.COMPLETED || record.result() == null) {
                continue;
            }
            TrialPoint point = TrialPoint.of(record);
            if (!point.isFinite()) {
                LOG.warn("Trial {} is completed but has non-finite metrics (top-1 {}, relative BOPs {}); "
                        + "left out of the frontier", point.trialId(), point.top1(), point.relativeBops());
                continue;
            }
            byVariant.computeIfAbsent(point.variant(), v -> new ArrayList<>()).add(point);
        }
        List<VariantFrontier> frontiers = new ArrayList<>();
        byVariant.forEach((variant, points) -> frontiers.add(of(variant, points)));
        return frontiers;
    }

    /** The frontier of one variant's points (all assumed completed and finite). */
    public static VariantFrontier of(String variant, List<TrialPoint> points) {
        List<TrialPoint> sorted = new ArrayList<>(points);
        sorted.sort(SWEEP_ORDER);
        List<TrialPoint> frontier = new ArrayList<>();
        List<TrialPoint> dominated = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (TrialPoint p : sorted) {
            if (p.top1() > best) {
                frontier.add(p);
                best = p.top1();
            } else {
                dominated.add(p);
            }
        }
        return new VariantFrontier(variant, frontier, dominated);
    }
}
