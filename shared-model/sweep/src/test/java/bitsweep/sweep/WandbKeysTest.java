package bitsweep.sweep;

import static bitsweep.sweep.SweepFileValidationTest.assertProblem;
import static bitsweep.sweep.SweepFileValidationTest.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import bitsweep.trial.TrialResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A sweep file written the way W&B users write one is read; what BitSweep does not do is said precisely. */
class WandbKeysTest {
    private static final String GRID = "experiment: mnist\nmethod: grid\nparameters:\n  gating-lambda: {values: [0.1]}\n";

    @Test
    void metricProjectEntityAndProgramAreAcceptedAndTheMetricPicksTheBestTrial() throws Exception {
        Sweep s = SweepParser.parse(GRID + """
                description: LeNet-5 frontier
                project: quant
                entity: my-team
                program: train.py
                metric:
                  name: top1
                  goal: maximize
                """, Path.of("wandb.yaml"), Map.of());
        assertEquals(new Sweep.Metric("top1", "maximize"), s.metric());
        TrialSpec spec = s.trials().get(0);
        TrialRecord low = new TrialRecord(new TrialSpec("a", "s", "v", Map.of(), spec.config()), TrialStatus.COMPLETED, 1, null,
                new TrialResult("a", spec.config(), null, 97.0, 0.3, 0, List.of(), Map.of(), null, 1), null);
        TrialRecord high = new TrialRecord(new TrialSpec("b", "s", "v", Map.of(), spec.config()), TrialStatus.COMPLETED, 1, null,
                new TrialResult("b", spec.config(), null, 99.0, 0.9, 0, List.of(), Map.of(), null, 1), null);
        assertEquals("b", s.metric().best(List.of(low, high)).orElseThrow().spec().trialId());
        assertEquals("a", new Sweep.Metric("relative-bops", "minimize").best(List.of(low, high)).orElseThrow()
                .spec().trialId());
    }

    @Test
    void aMetricWithoutGoalTakesTheNaturalOneAndAnUnknownNameIsRejected() throws Exception {
        Sweep s = SweepParser.parse(GRID + "metric: {name: relative-bops}\n", Path.of("m.yaml"), Map.of());
        assertEquals("minimize", s.metric().goal());
        assertProblem(problems(GRID + "metric: {name: val_acc, goal: maximize}\n"), "5:16",
                "metric.name: expected one of gbops, relative-bops, top1", "got 'val_acc'");
        assertProblem(problems(GRID + "metric: {name: top1, goal: up}\n"), "5:28", "metric.goal: expected maximize or "
                + "minimize, got 'up'");
    }

    @Test
    void bayesSearchAndEarlyTerminationSayWhatBitSweepOffersInstead() {
        List<String> bayes = problems("experiment: mnist\nmethod: bayes\nparameters:\n  gating-lambda: {values: [0.1]}\n");
        assertProblem(bayes, "2:9", "method: bayes is not supported", "refine: {extra-trials: N}");
        List<String> early = problems(GRID + "early_terminate: {type: hyperband, min_iter: 3}\n");
        assertProblem(early, "5:1", "early_terminate: not supported", "max-trial-time");
    }
}
