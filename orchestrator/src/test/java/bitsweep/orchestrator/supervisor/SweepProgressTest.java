package bitsweep.orchestrator.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.orchestrator.supervisor.SupervisorEvent.SweepStarted;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialAssigned;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialCompleted;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialQueued;
import bitsweep.trial.EpochMetrics;
import bitsweep.trial.TrialResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepProgressTest {

    @Test
    void snapshotCountsTrialsAndDerivesTheSweepAndPerWorkerEtas() {
        var sweep = TestSweeps.sweep("p", 4, 3);
        SweepState s = SweepState.empty().apply(new SweepStarted("p", 3, 0));
        for (var spec : sweep.trials()) {
            s = s.apply(new TrialQueued(spec));
        }
        var config = sweep.trials().get(0).config();
        s = s.apply(new TrialAssigned("t0", 1, "w0", 0))
                .apply(new TrialCompleted("t0", new TrialResult("t0", config, null, 97.0, 5.0, 1.0, List.of(), Map.of(),
                        null, 100.0), null, 0))
                .apply(new TrialAssigned("t1", 1, "w0", 0));
        EpochMetrics epoch1 = new EpochMetrics(1, "train", 0.5, 0.4, 0.1, 95.0, 10.0, 1.0, List.of(), 1000, 20.0);
        SweepProgress p = SweepProgress.of(s, List.of(
                new ConsoleView.WorkerLine("w0", "cpu()", "t1", epoch1, s.trial("t1")),
                new ConsoleView.WorkerLine("w1", "cpu()", null, null, null)));

        assertEquals(4, p.total());
        assertEquals(1, p.completed());
        assertEquals(1, p.running());
        assertEquals(2, p.queued());
        // mean completed trial 100 s × (2 queued + 1 running) / 2 workers
        assertEquals(150.0, p.etaSeconds(), 1e-9);
        SweepProgress.WorkerProgress busy = p.workers().get(0);
        assertEquals("t1", busy.trialId());
        assertEquals(1, busy.epoch());
        assertEquals(3, busy.totalEpochs());
        assertEquals(40.0, busy.etaSeconds(), 1e-9); // 20 s per epoch, 2 epochs left
        SweepProgress.WorkerProgress idle = p.workers().get(1);
        assertNull(idle.trialId());
        assertTrue(Double.isNaN(idle.etaSeconds()));
    }

    @Test
    void sweepEtaIsUnknownBeforeAnyTrialCompleted() {
        var sweep = TestSweeps.sweep("p", 2, 3);
        SweepState s = SweepState.empty().apply(new SweepStarted("p", 3, 0)).apply(new TrialQueued(sweep.trials().get(0)));
        SweepProgress p = SweepProgress.of(s, List.of(new ConsoleView.WorkerLine("w0", "cpu()", null, null, null)));
        assertTrue(Double.isNaN(p.etaSeconds()));
        assertEquals(1, p.queued());
    }
}
