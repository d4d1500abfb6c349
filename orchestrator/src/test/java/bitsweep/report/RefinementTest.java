package bitsweep.report;

import static bitsweep.report.Fixtures.completed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.sweep.TrialRecord;
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
        records.add(Fixtures.withStatus("f", "v", 0.01, TrialRecord.FAILED, "diverged"));
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
}
