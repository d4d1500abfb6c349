package bitsweep.orchestrator.report;

import static bitsweep.orchestrator.report.Fixtures.completed;
import static bitsweep.orchestrator.report.Fixtures.ids;
import static bitsweep.orchestrator.report.Fixtures.withStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.orchestrator.report.ParetoFrontier;
import bitsweep.orchestrator.report.TrialPoint;
import bitsweep.orchestrator.report.VariantFrontier;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ParetoFrontierTest {

    @Test
    void dominatedTrialIsNotOnTheFrontier() {
        List<VariantFrontier> fs = ParetoFrontier.of(List.of(
                completed("a", "pruning", 0.1, 1, 99.0, 0.5),
                completed("b", "pruning", 0.2, 1, 98.0, 0.8),   // costlier and worse than a
                completed("c", "pruning", 0.3, 1, 97.0, 0.3)));
        assertEquals(1, fs.size());
        assertEquals(List.of("c", "a"), ids(fs.get(0).frontier()));
        assertEquals(List.of("b"), ids(fs.get(0).dominated()));
    }

    @Test
    void equalBopsKeepsOnlyTheMoreAccurateTrial() {
        VariantFrontier f = ParetoFrontier.of("v", points(
                completed("a", "v", 0.1, 1, 98.0, 0.5),
                completed("b", "v", 0.1, 2, 98.5, 0.5)));
        assertEquals(List.of("b"), ids(f.frontier()));
        assertEquals(List.of("a"), ids(f.dominated()));
    }

    @Test
    void equalAccuracyKeepsOnlyTheCheaperTrial() {
        VariantFrontier f = ParetoFrontier.of("v", points(
                completed("a", "v", 0.1, 1, 98.0, 0.7),
                completed("b", "v", 0.2, 1, 98.0, 0.4)));
        assertEquals(List.of("b"), ids(f.frontier()));
        assertEquals(List.of("a"), ids(f.dominated()));
    }

    @Test
    void exactDuplicatesKeepTheSmallestTrialIdWhateverTheInputOrder() {
        List<TrialRecord> records = new ArrayList<>(List.of(
                completed("t-3", "v", 0.1, 3, 99.0, 0.4),
                completed("t-1", "v", 0.1, 1, 99.0, 0.4),
                completed("t-2", "v", 0.1, 2, 99.0, 0.4),
                completed("t-9", "v", 0.01, 1, 99.5, 1.0)));
        Random random = new Random(7);
        for (int i = 0; i < 10; i++) {
            Collections.shuffle(records, random);
            VariantFrontier f = ParetoFrontier.of(records).get(0);
            assertEquals(List.of("t-1", "t-9"), ids(f.frontier()));
            assertEquals(List.of("t-2", "t-3"), ids(f.dominated()));
        }
    }

    @Test
    void singleCompletedTrialIsItsOwnFrontier() {
        List<VariantFrontier> fs = ParetoFrontier.of(List.of(completed("only", "v", 0.1, 1, 97.0, 1.2)));
        assertEquals(List.of("only"), ids(fs.get(0).frontier()));
        assertTrue(fs.get(0).dominated().isEmpty());
    }

    @Test
    void failedCancelledQueuedAndRunningTrialsAreIgnored() {
        List<VariantFrontier> fs = ParetoFrontier.of(List.of(
                completed("ok", "v", 0.1, 1, 90.0, 5.0),
                withStatus("f", "v", 0.2, TrialStatus.FAILED, "CUDA out of memory"),
                withStatus("c", "v", 0.3, TrialStatus.CANCELLED, null),
                withStatus("q", "v", 0.4, TrialStatus.QUEUED, null),
                withStatus("r", "v", 0.5, TrialStatus.RUNNING, null)));
        assertEquals(List.of("ok"), ids(fs.get(0).all()));
    }

    @Test
    void allFailedGivesNoFrontier() {
        assertTrue(ParetoFrontier.of(List.of(
                withStatus("f1", "v", 0.1, TrialStatus.FAILED, "diverged"),
                withStatus("f2", "w", 0.2, TrialStatus.FAILED, "diverged"))).isEmpty());
    }

    @Test
    void nonFiniteMetricsAreLeftOut() {
        List<VariantFrontier> fs = ParetoFrontier.of(List.of(
                completed("nan", "v", 0.1, 1, Double.NaN, 0.1),
                completed("ok", "v", 0.2, 1, 95.0, 1.0)));
        assertEquals(List.of("ok"), ids(fs.get(0).all()));
    }

    @Test
    void eachVariantGetsItsOwnFrontierSortedByName() {
        List<VariantFrontier> fs = ParetoFrontier.of(List.of(
                completed("p1", "pruning", 0.1, 1, 99.0, 0.4),
                completed("n1", "no-pruning", 0.1, 1, 99.2, 0.9),
                completed("p2", "pruning", 0.01, 1, 99.4, 0.8),
                completed("n2", "no-pruning", 0.01, 1, 98.0, 1.5)));   // dominated within no-pruning only
        assertEquals(List.of("no-pruning", "pruning"), fs.stream().map(VariantFrontier::variant).toList());
        assertEquals(List.of("n1"), ids(fs.get(0).frontier()));
        assertEquals(List.of("n2"), ids(fs.get(0).dominated()));
        // n1 would dominate p2 across variants, but variants never compete.
        assertEquals(List.of("p1", "p2"), ids(fs.get(1).frontier()));
    }

    @Test
    void frontierIsStrictlyIncreasingInBothCoordinatesAndNoPointDominatesAnother() {
        Random random = new Random(3);
        List<TrialRecord> records = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            // Coarse values so ties and duplicates are frequent.
            records.add(completed("t" + i, "v", 0.1, i, 90 + random.nextInt(10), 0.1 * (1 + random.nextInt(20))));
        }
        VariantFrontier f = ParetoFrontier.of(records).get(0);
        List<TrialPoint> front = f.frontier();
        for (int i = 1; i < front.size(); i++) {
            assertTrue(front.get(i).relativeBops() > front.get(i - 1).relativeBops());
            assertTrue(front.get(i).top1() > front.get(i - 1).top1());
        }
        for (TrialPoint d : f.dominated()) {
            assertTrue(front.stream().anyMatch(p -> p.relativeBops() <= d.relativeBops() && p.top1() >= d.top1()),
                    d.trialId() + " is listed as dominated but nothing on the frontier covers it");
        }
        assertEquals(200, f.all().size());
    }

    private static List<TrialPoint> points(TrialRecord... records) {
        return java.util.Arrays.stream(records).map(TrialPoint::of).toList();
    }
}
