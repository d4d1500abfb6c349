package bitsweep.orchestrator.report;

import bitsweep.sweep.TrialRecord;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * Frontier refinement ({@code refine: {extra-trials: N}}): proposes new MU values where a variant's
 * frontier has its largest gaps. Pure: the same records give the same proposals.
 *
 * <p>Gap size between adjacent frontier points (by relative BOPs) is the Euclidean distance in
 * (log₁₀ relative BOPs, top-1) after dividing each axis by its span over that frontier, so a decade
 * of BOPs and the whole accuracy range weigh alike whatever the experiment (and gaps of different
 * variants are comparable: each is a fraction of its own frontier). The largest gap gets the
 * geometric midpoint √(MU_a·MU_b) of its endpoints' MU values, rounded to 4 significant digits.
 * Taking a gap splits it into two halves of half its size, which compete with the remaining gaps,
 * so asking for more values than there are gaps subdivides the widest regions further. An MU that
 * was already tried in the variant (any status, or already proposed) is never proposed; its gap is
 * split without a proposal. Gaps whose endpoints share an MU or lack one (or have MU ≤ 0) cannot be
 * bisected and are skipped. Ties in gap size go to the lower-BOPs gap.
 */
public final class Refinement {

    /** Relative tolerance under which two MU values count as the same. */
    static final double SAME_MU = 1e-6;

    /**
     * One proposed trial.
     *
     * @param variant     the variant to run it in
     * @param mu          the new gating lambda
     * @param gap         normalised size of the frontier gap it fills (larger = more useful)
     * @param baseTrialId the frontier trial at the gap's low-BOPs end: copy its other settings
     *                    (e.g. with {@code SweepExpander.derive(base, {gating-lambda: mu})})
     */
    public record Proposal(String variant, double mu, double gap, String baseTrialId) {
    }

    private Refinement() {
    }

    /**
     * Up to {@code extraTrials} proposals for a whole sweep: each variant's frontier is refined on its
     * own and the proposals with the largest gaps across all variants are kept.
     */
    public static List<Proposal> forSweep(List<TrialRecord> records, int extraTrials) {
        List<Proposal> all = new ArrayList<>();
        for (VariantFrontier f : ParetoFrontier.of(records)) {
            String variant = f.variant();
            List<TrialRecord> ofVariant = records.stream()
                    .filter(r -> variant.equals(variantOf(r))).toList();
            all.addAll(proposals(f, triedMus(ofVariant, f), extraTrials));
        }
        // Stable sort: equal gaps keep each variant's own order (lower-BOPs side first).
        all.sort(Comparator.comparingDouble(Proposal::gap).reversed().thenComparing(Proposal::variant));
        return List.copyOf(all.subList(0, Math.min(extraTrials, all.size())));
    }

    /** MU proposals for one variant from its trial records (every MU in them counts as tried). */
    public static List<Double> propose(List<TrialRecord> variantRecords, VariantFrontier frontier, int extraTrials) {
        return proposals(frontier, triedMus(variantRecords, frontier), extraTrials).stream()
                .map(Proposal::mu).toList();
    }

    /**
     * @param frontier    the variant's frontier
     * @param triedMus    every MU already tried in the variant (completed or not)
     * @param extraTrials how many MU values to propose at most
     * @return up to {@code extraTrials} new MU values, largest gap first
     */
    public static List<Double> propose(VariantFrontier frontier, Collection<Double> triedMus, int extraTrials) {
        return proposals(frontier, triedMus, extraTrials).stream().map(Proposal::mu).toList();
    }

    static List<Proposal> proposals(VariantFrontier frontier, Collection<Double> triedMus, int extraTrials) {
        List<Proposal> proposals = new ArrayList<>();
        List<TrialPoint> pts = frontier.frontier();
        if (extraTrials <= 0 || pts.size() < 2) {
            return proposals;
        }
        double spanX = span(pts.stream().mapToDouble(p -> Math.log10(p.relativeBops())).toArray());
        double spanY = span(pts.stream().mapToDouble(TrialPoint::top1).toArray());
        PriorityQueue<Gap> gaps = new PriorityQueue<>(
                Comparator.comparingDouble(Gap::size).reversed().thenComparingLong(Gap::order));
        long order = 0;
        for (int i = 0; i + 1 < pts.size(); i++) {
            TrialPoint a = pts.get(i);
            TrialPoint b = pts.get(i + 1);
            double dx = spanX > 0 ? (Math.log10(b.relativeBops()) - Math.log10(a.relativeBops())) / spanX : 0;
            double dy = spanY > 0 ? (b.top1() - a.top1()) / spanY : 0;
            if (bisectable(a.mu(), b.mu())) {
                gaps.add(new Gap(a.mu(), b.mu(), Math.hypot(dx, dy), order++, a.trialId()));
            }
        }
        List<Double> taken = new ArrayList<>(triedMus);
        // Each split halves a gap; the budget bounds the loop when every candidate collapses onto known values.
        int budget = 64 * extraTrials + 64;
        while (proposals.size() < extraTrials && !gaps.isEmpty() && budget-- > 0) {
            Gap g = gaps.poll();
            double mid = round4(Math.sqrt(g.muA() * g.muB()));
            boolean strictlyInside = mid > Math.min(g.muA(), g.muB()) && mid < Math.max(g.muA(), g.muB());
            if (!strictlyInside) {
                continue;
            }
            if (taken.stream().noneMatch(t -> same(t, mid))) {
                proposals.add(new Proposal(frontier.variant(), mid, g.size(), g.baseTrialId()));
                taken.add(mid);
            }
            gaps.add(new Gap(g.muA(), mid, g.size() / 2, order++, g.baseTrialId()));
            gaps.add(new Gap(mid, g.muB(), g.size() / 2, order++, g.baseTrialId()));
        }
        return proposals;
    }

    private static List<Double> triedMus(List<TrialRecord> variantRecords, VariantFrontier frontier) {
        List<Double> tried = new ArrayList<>();
        variantRecords.stream().map(r -> r.spec().config() == null ? null : r.spec().config().gatingLambda())
                .filter(Objects::nonNull).forEach(tried::add);
        frontier.all().stream().map(TrialPoint::mu).filter(Objects::nonNull).forEach(tried::add);
        return tried;
    }

    private static String variantOf(TrialRecord r) {
        String v = r.spec().variant();
        return v == null || v.isBlank() ? TrialPoint.DEFAULT_VARIANT : v;
    }

    private static boolean bisectable(Double a, Double b) {
        return a != null && b != null && a > 0 && b > 0 && !same(a, b);
    }

    static boolean same(double a, double b) {
        return Math.abs(a - b) <= SAME_MU * Math.max(Math.abs(a), Math.abs(b));
    }

    private static double round4(double v) {
        return new BigDecimal(v).round(new MathContext(4)).doubleValue();
    }

    private static double span(double[] values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return max - min;
    }

    private record Gap(double muA, double muB, double size, long order, String baseTrialId) {
    }
}
