package bitsweep.orchestrator.supervisor;

import bitsweep.sweep.TrialStatus;
import bitsweep.trial.EpochMetrics;
import bitsweep.trial.TrialConfig;
import java.util.List;

/** The live status line: sweep progress, then per worker its trial, epoch and ETA. */
final class ConsoleView {
    record WorkerLine(String name, String device, String trialId, EpochMetrics lastEpoch, TrialEntry trial) {
    }

    private ConsoleView() {
    }

    static String render(SweepState s, List<WorkerLine> workers) {
        long done = s.count(TrialStatus.COMPLETED);
        long failed = s.count(TrialStatus.FAILED);
        long running = s.count(TrialStatus.RUNNING);
        long queued = s.count(TrialStatus.QUEUED);
        double meanTrial = s.meanTrialSeconds();
        StringBuilder sb = new StringBuilder();
        sb.append("sweep ").append(s.sweep()).append(": ").append(done).append('/').append(s.trials().size())
                .append(" done, ").append(failed).append(" failed, ").append(running).append(" running, ")
                .append(queued).append(" queued");
        if (!Double.isNaN(meanTrial) && !workers.isEmpty()) {
            sb.append(", ETA ").append(duration(meanTrial * (queued + running) / workers.size()));
        }
        for (WorkerLine w : workers) {
            sb.append(" | ").append(w.name()).append(' ').append(w.device()).append(": ");
            if (w.trialId() == null) {
                sb.append("idle");
                continue;
            }
            sb.append(w.trialId());
            int total = totalEpochs(w.trial());
            if (w.lastEpoch() != null) {
                sb.append(" epoch ").append(w.lastEpoch().epoch()).append('/').append(total);
                double eta = w.lastEpoch().seconds() * Math.max(0, total - w.lastEpoch().epoch());
                sb.append(" ETA ").append(duration(eta));
            } else {
                sb.append(" starting");
            }
        }
        return sb.toString();
    }

    static int totalEpochs(TrialEntry t) {
        if (t == null) {
            return 0;
        }
        TrialConfig c = t.spec().config();
        int epochs = c.epochs() != null ? c.epochs() : 0;
        int fine = c.fixedGateFinetuneEpochs() != null ? c.fixedGateFinetuneEpochs() : 0;
        return epochs + fine;
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, (s % 3600) / 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
