package bitsweep.orchestrator.supervisor;

import bitsweep.sweep.TrialStatus;
import java.util.List;

/**
 * What a sweep is doing right now, as the live console view shows it: trial counts, the sweep's ETA and per
 * worker its trial, epoch and ETA. The supervisor publishes one to its actor system's event stream every
 * second ({@link Supervisor}); immutable, so subscribers may keep it.
 *
 * @param etaSeconds the sweep's remaining time, {@code NaN} while no trial has completed
 */
public record SweepProgress(String sweep, int total, long completed, long failed, long running, long queued,
                            long cancelled, double etaSeconds, List<WorkerProgress> workers) {

    /**
     * One worker (device process).
     *
     * @param trialId     the trial it runs, or null when idle
     * @param epoch       the last epoch it finished (0: none yet)
     * @param totalEpochs the trial's epochs including fixed-gate fine-tuning (0: unknown)
     * @param etaSeconds  the trial's remaining time from its last epoch's duration, {@code NaN} before the first epoch
     */
    public record WorkerProgress(String name, String device, String trialId, int epoch, int totalEpochs,
                                 double etaSeconds) {
    }

    /** The same figures as the status log line ({@link ConsoleView#render}). */
    static SweepProgress of(SweepState s, List<ConsoleView.WorkerLine> workers) {
        long queued = s.count(TrialStatus.QUEUED);
        long running = s.count(TrialStatus.RUNNING);
        double meanTrial = s.meanTrialSeconds();
        double eta = workers.isEmpty() ? Double.NaN : meanTrial * (queued + running) / workers.size();
        List<WorkerProgress> lines = workers.stream().map(w -> {
            int total = ConsoleView.totalEpochs(w.trial());
            if (w.trialId() == null || w.lastEpoch() == null) {
                return new WorkerProgress(w.name(), w.device(), w.trialId(), 0, total, Double.NaN);
            }
            int epoch = w.lastEpoch().epoch();
            return new WorkerProgress(w.name(), w.device(), w.trialId(), epoch, total,
                    w.lastEpoch().seconds() * Math.max(0, total - epoch));
        }).toList();
        return new SweepProgress(s.sweep(), s.trials().size(), s.count(TrialStatus.COMPLETED),
                s.count(TrialStatus.FAILED), running, queued, s.count(TrialStatus.CANCELLED), eta, lines);
    }
}
