package bitsweep.orchestrator.supervisor;

import bitsweep.protocol.LiveView;
import bitsweep.sweep.TrialStatus;
import bitsweep.trial.EpochMetrics;
import bitsweep.trial.TrialConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds the {@link LiveView} from the journal's state and the supervisor's in-memory view of its workers. */
final class LiveViews {

    /** What the supervisor knows of one worker right now. */
    record WorkerNow(String name, String device, String trialId, int attempt, EpochMetrics lastEpoch) {
    }

    private LiveViews() {
    }

    static LiveView build(String sweep, SweepState s, List<WorkerNow> workers, List<LiveView.Event> events, boolean complete,
                          long ignored, long nowMillis) {
        Map<String, WorkerNow> runners = new HashMap<>();
        List<LiveView.Worker> workerViews = new ArrayList<>(workers.size());
        for (WorkerNow w : workers) {
            EpochMetrics m = w.trialId() == null ? null : w.lastEpoch();
            workerViews.add(new LiveView.Worker(w.name(), w.device(), w.trialId(), w.trialId() == null ? 0 : w.attempt(),
                    m == null ? 0 : m.epoch(), m == null ? 0 : m.imagesPerSecond()));
            if (w.trialId() != null) {
                runners.put(w.trialId(), w);
            }
        }
        List<LiveView.Trial> trials = new ArrayList<>(s.trials().size());
        for (TrialEntry t : s.trials().values()) {
            trials.add(trial(t, runners.get(t.spec().trialId())));
        }
        return new LiveView(sweep, s.started(), s.cancelled(), s.paused(), complete, nowMillis,
                eta(s, workers.size()), ignored, trials, workerViews, events);
    }

    private static LiveView.Trial trial(TrialEntry t, WorkerNow runner) {
        boolean running = t.status() == TrialStatus.RUNNING;
        // the worker's latest epoch is fresher than the journal's (progress is journaled every few seconds)
        EpochMetrics m = running && runner != null && runner.lastEpoch() != null ? runner.lastEpoch() : t.lastEpoch();
        int total = totalEpochs(t.spec().config());
        double eta = -1;
        if (running && m != null && m.seconds() > 0) {
            eta = m.seconds() * Math.max(0, total - m.epoch());
        }
        var r = t.result();
        TrialConfig c = t.spec().config();
        return new LiveView.Trial(t.spec().trialId(), t.spec().variant(), c.gatingLambda(), c.seed(), t.status(),
                t.attempts(), t.failures(), running ? t.worker() : null,
                running && runner != null ? runner.device() : null,
                r != null ? total : m == null ? 0 : m.epoch(), total, eta, m == null ? 0 : m.imagesPerSecond(),
                r != null ? Double.valueOf(r.top1()) : m == null ? null : m.top1(),
                r != null ? Double.valueOf(r.relativeBops()) : m == null ? null : m.relativeBops(),
                r != null ? Double.valueOf(r.gbops()) : m == null ? null : m.gbops(), t.error(), t.artifact(),
                t.assignedAtMillis(), t.completedAtMillis(), r == null ? 0 : r.wallSeconds(),
                // a finished trial's table is in its result.json: the view stays small enough for one cluster message
                r != null || m == null ? null : m.bitTable());
    }

    static int totalEpochs(TrialConfig c) {
        int epochs = c.epochs() != null ? c.epochs() : 0;
        int fine = c.fixedGateFinetuneEpochs() != null ? c.fixedGateFinetuneEpochs() : 0;
        return epochs + fine;
    }

    /** Mean completed trial time × trials left ÷ workers; -1 before any trial completed or without workers. */
    static double eta(SweepState s, int workers) {
        double mean = s.meanTrialSeconds();
        long left = s.count(TrialStatus.QUEUED) + s.count(TrialStatus.RUNNING);
        if (left == 0) {
            return 0;
        }
        if (Double.isNaN(mean) || workers == 0) {
            return -1;
        }
        return mean * Math.ceil((double) left / workers);
    }
}
