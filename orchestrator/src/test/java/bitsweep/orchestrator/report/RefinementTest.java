package bitsweep.orchestrator.report;

import static bitsweep.orchestrator.report.Fixtures.completed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.orchestrator.report.ParetoFrontier;
import bitsweep.orchestrator.report.Refinement;
import bitsweep.orchestrator.report.VariantFrontier;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RefinementTest {

    private static VariantFrontier frontier(List<TrialRecord> records) {
        return ParetoFrontier.of(records).get(0);
    }

    @Test
    void proposesTheGeometricMidpointOfTheWidestGap() {
        List<TrialRecord> records = List.of(
                completed("a", "v", 1.0, 1, 98.7, 0.10),
                completed("b", "v", 0.1, 1, 98.9, 0.20),    // small gap to c
                completed("c", "v", 0.01, 1, 99.0, 0.25),
                completed("d", "v", 0.001, 1, 99.3, 2.5));   // a full decade of BOPs from c
        List<Double> mus = Refinement.propose(records, frontier(records), 1);
        assertEquals(List.of(0.003162), mus);
    }

    @Test
    void accuracyGapsCountAsMuchAsBopsGapsAfterNormalising() {
        List<TrialRecord> records = List.of(
                completed("a", "v", 1.0, 1, 90.0, 0.10),     // big accuracy jump to b, little BOPs change
                completed("b", "v", 0.1, 1, 99.0, 0.12),
                completed("c", "v", 0.01, 1, 99.1, 0.30));
        assertEquals(List.of(0.3162), Refinement.propose(records, frontier(records), 1));
    }

    @Test
    void neverProposesAnMuThatWasAlreadyTriedEvenByAFailedTrial() {
        List<TrialRecord> records = new ArrayList<>(List.of(
                completed("a", "v", 0.1, 1, 98.0, 0.2),
                completed("b", "v", 0.001, 1, 99.0, 2.0)));
        records.add(Fixtures.withStatus("f", "v", 0.01, TrialStatus.FAILED, "diverged"));
        List<Double> mus = Refinement.propose(records, frontier(records), 2);
        assertEquals(2, mus.size());
        assertTrue(mus.stream().noneMatch(m -> Refinement.same(m, 0.01)), mus.toString());
        // The tried midpoint splits the gap; the halves give the quarter points.
        assertEquals(List.of(0.03162, 0.003162), mus);
    }

    @Test
    void moreRequestsThanGapsSubdivideTheWidestRegionsWithoutRepeats() {
        List<TrialRecord> records = List.of(
                completed("a", "v", 0.1, 1, 98.0, 0.2),
                completed("b", "v", 0.01, 1, 99.0, 0.6),
                completed("c", "v", 0.001, 1, 99.2, 2.0));
        List<Double> mus = Refinement.propose(records, frontier(records), 5);
        assertEquals(5, mus.size());
        assertEquals(5, mus.stream().distinct().count());
        for (double m : mus) {
            assertTrue(m > 0.001 && m < 0.1, "inside the frontier's MU range: " + m);
            assertTrue(!Refinement.same(m, 0.1) && !Refinement.same(m, 0.01) && !Refinement.same(m, 0.001));
        }
        assertEquals(mus, Refinement.propose(records, frontier(records), 5), "deterministic");
    }

    @Test
    void singlePointOrNoRequestsGiveNoProposals() {
        List<TrialRecord> one = List.of(completed("a", "v", 0.1, 1, 98.0, 0.2));
        assertTrue(Refinement.propose(one, frontier(one), 3).isEmpty());
        List<TrialRecord> two = List.of(completed("a", "v", 0.1, 1, 98.0, 0.2), completed("b", "v", 0.01, 1, 99.0, 1));
        assertTrue(Refinement.propose(two, frontier(two), 0).isEmpty());
    }

    @Test
    void adjacentFrontierPointsWithTheSameMuCannotBeBisected() {
        List<TrialRecord> records = List.of(
                completed("s1", "v", 0.1, 1, 98.0, 0.2),
                completed("s2", "v", 0.1, 2, 98.5, 0.3));
        assertTrue(Refinement.propose(records, frontier(records), 3).isEmpty());
    }

    @Test
    void sweepLevelProposalsTakeTheLargestGapsAcrossVariantsAndNameTheirBaseTrial() {
        List<TrialRecord> records = List.of(
                // pruning: one wide gap (a decade of BOPs, full accuracy range)
                completed("p1", "pruning", 0.1, 1, 98.0, 0.2),
                completed("p2", "pruning", 0.001, 1, 99.0, 2.0),
                // no-pruning: one narrow gap next to a wide one
                completed("n1", "no-pruning", 0.1, 1, 98.0, 1.0),
                completed("n2", "no-pruning", 0.05, 1, 98.1, 1.05),
                completed("n3", "no-pruning", 0.001, 1, 99.0, 5.0),
                Fixtures.withStatus("q", "pruning", 0.01, TrialStatus.QUEUED, null));
        List<Refinement.Proposal> ps = Refinement.forSweep(records, 3);
        assertEquals(3, ps.size());
        // pruning's gap (size √2) has its midpoint 0.01 queued already, so it only splits into halves of √2/2;
        // no-pruning's n2–n3 gap (≈ 1.32) therefore comes first, then the two pruning quarter points.
        assertEquals(new Refinement.Proposal("no-pruning", 0.007071, ps.get(0).gap(), "n2"), ps.get(0));
        assertEquals(List.of(0.03162, 0.003162), List.of(ps.get(1).mu(), ps.get(2).mu()));
        assertTrue(ps.subList(1, 3).stream().allMatch(p -> p.variant().equals("pruning") && p.baseTrialId().equals("p1")));
        assertTrue(ps.stream().noneMatch(p -> Refinement.same(p.mu(), 0.01)));
        for (int i = 1; i < ps.size(); i++) {
            assertTrue(ps.get(i - 1).gap() >= ps.get(i).gap(), "largest gaps first");
        }
    }
}
