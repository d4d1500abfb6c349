package bitsweep.orchestrator.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.orchestrator.supervisor.SweepProgress.WorkerProgress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressViewTest {

    private static SweepProgress sweep(List<WorkerProgress> workers) {
        return new SweepProgress("mnist-smoke", 8, 3, 1, 2, 2, 0, 250, workers);
    }

    @Test
    void summaryLineShowsFinishedOfTotalWithABarCountsAndTheSweepEta() {
        List<String> lines = ProgressView.render(sweep(List.of()), 120);
        // 3 completed + 1 failed of 8 finished: half the bar
        assertEquals("mnist-smoke [##########..........] 4/8 done  2 running, 2 queued, 1 failed  ETA 4m10s",
                lines.get(0));
        assertEquals("  waiting for workers to join…", lines.get(1));
    }

    @Test
    void eachWorkerGetsALineWithItsEpochBarEpochEtaAndTrial() {
        List<String> lines = ProgressView.render(sweep(List.of(
                new WorkerProgress("127.0.0.1:4100/worker-0:cpu()", "cpu()", "mu0.05-pruning-s0-9b32afd872", 1, 4, 90),
                new WorkerProgress("127.0.0.1:4101/worker-1:cpu()", "cpu()", null, 0, 0, Double.NaN))), 120);
        assertEquals(3, lines.size());
        // loopback addresses (local mode) are left out of the worker's label
        assertEquals("  worker-0:cpu() [#####...............] epoch 1/4  ETA 1m30s  "
                + "mu0.05-pruning-s0-9b32afd872", lines.get(1));
        assertEquals("  worker-1:cpu() " + " ".repeat(22) + " idle", lines.get(2));
    }

    @Test
    void aTrialBeforeItsFirstEpochShowsAnEmptyBarAndUnknownEta() {
        List<String> lines = ProgressView.render(sweep(List.of(
                new WorkerProgress("w0", "gpu(0)", "t1", 0, 3, Double.NaN))), 120);
        assertEquals("  w0 gpu(0) [....................] epoch 0/3  ETA ?  t1", lines.get(1));
    }

    @Test
    void sweepEtaIsUnknownUntilATrialHasCompletedAndCancelledTrialsAreCounted() {
        SweepProgress p = new SweepProgress("s", 4, 0, 0, 1, 1, 2, Double.NaN, List.of());
        assertEquals("s [##########..........] 2/4 done  1 running, 1 queued, 2 cancelled  ETA ?",
                ProgressView.render(p, 120).get(0));
    }

    @Test
    void everyLineFitsTheWidthSoRedrawingNeverWraps() {
        List<String> lines = ProgressView.render(sweep(List.of(
                new WorkerProgress("127.0.0.1:4100/worker-0:gpu(0)", "gpu(0)", "a-very-long-trial-id-".repeat(5), 2, 4, 30))),
                60);
        for (String line : lines) {
            assertTrue(line.length() <= 60, line);
        }
        assertTrue(lines.get(1).endsWith("…"), lines.get(1));
    }

    @Test
    void workersOnOtherHostsKeepTheirAddressAndNamesWithoutTheirDeviceGetIt() {
        assertEquals("10.0.0.6:25520/worker-0:gpu(0)", ProgressView.label(
                new WorkerProgress("10.0.0.6:25520/worker-0:gpu(0)", "gpu(0)", null, 0, 0, Double.NaN)));
        assertEquals("worker-0 cpu()", ProgressView.label(
                new WorkerProgress("pekko://bitsweep@127.0.0.1:4100/user/worker-0", "cpu()", null, 0, 0, Double.NaN)));
    }

    @Test
    void barFillsInProportionAndNeverOverflows() {
        assertEquals("[....................]", ProgressView.bar(0, 10));
        assertEquals("[##########..........]", ProgressView.bar(5, 10));
        assertEquals("[####################]", ProgressView.bar(12, 10));
        assertEquals("[....................]", ProgressView.bar(3, 0));
    }
}
