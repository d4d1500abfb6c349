package bitsweep.orchestrator.supervisor;

import bitsweep.orchestrator.report.SweepCompletion;
import bitsweep.orchestrator.report.SweepFinisher;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialQueued;
import bitsweep.sweep.TrialStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a sweep: once every trial has ended, refinement rounds while the sweep's budget and the
 * frontier's gaps last ({@link RefinementPolicy}), then the completion hook — exactly once per
 * supervisor incarnation, on the blocking pool (it exports and validates models).
 */
final class SweepEnding {
    private static final Logger log = LoggerFactory.getLogger(SweepEnding.class);

    enum Next { NOT_YET, REFINE, COMPLETED }

    private final SupervisorSettings settings;
    private final TrialsFile trialsFile;
    private final Executor blocking;
    private final RefinementPolicy refinement;
    private boolean completed;
    /** No refinement proposal is left in this incarnation (the budget is spent or the gaps are closed). */
    private boolean refinementDone;
    /**
     * The ending's blocking work, in order: an interim frontier still being written must not land after
     * (and overwrite) the final one the completion hook writes.
     */
    private CompletableFuture<Void> writes = CompletableFuture.completedFuture(null);

    SweepEnding(SupervisorSettings settings, TrialsFile trialsFile, Executor blocking) {
        this.settings = settings;
        this.trialsFile = trialsFile;
        this.blocking = blocking;
        this.refinement = new RefinementPolicy(settings.sweep());
    }

    boolean completed() {
        return completed;
    }

    /** What the sweep needs now: nothing yet, a refinement round, or (done here) completion. */
    Next next(SweepState s) {
        if (completed || !s.allTerminal()) {
            return Next.NOT_YET;
        }
        if (!refinementDone && !s.cancelled() && refinement.left(s) > 0) {
            return Next.REFINE;
        }
        complete(s);
        return Next.COMPLETED;
    }

    /**
     * The next refinement round; empty when no gap is left, and then the sweep completes. A non-empty round
     * writes the grid's frontier first, so users see it while the refinement runs.
     */
    List<TrialQueued> refinementRound(SweepState s, int workers) {
        if (completed || refinementDone || !s.allTerminal()) {
            return List.of();
        }
        List<TrialQueued> round = refinement.nextRound(s, workers);
        if (round.isEmpty()) {
            refinementDone = true;
            log.info("refinement: no frontier gap left to split ({} extra trial(s) unused)", refinement.left(s));
            next(s);
            return round;
        }
        round.forEach(q -> log.info("refinement: trial {} (MU {}) splits a frontier gap", q.trialId(),
                q.spec().config().gatingLambda()));
        writeInterimFrontier(s);
        return round;
    }

    private void complete(SweepState s) {
        completed = true;
        flushTrialsFile(s);
        long first = s.trials().values().stream().mapToLong(TrialEntry::assignedAtMillis).filter(v -> v > 0)
                .min().orElse(0);
        long last = s.trials().values().stream().mapToLong(TrialEntry::completedAtMillis).max().orElse(0);
        SweepCompletion completion = new SweepCompletion(settings.sweep().name(), settings.resultsDir(), s.records(),
                first, last);
        log.info("sweep {}: every trial finished ({} completed, {} failed, {} cancelled)", settings.sweep().name(),
                s.count(TrialStatus.COMPLETED), s.count(TrialStatus.FAILED), s.count(TrialStatus.CANCELLED));
        writes = writes.thenRunAsync(() -> {
            try {
                settings.hook().onSweepComplete(completion);
            } catch (Exception e) {
                log.error("sweep completion hook failed", e);
            }
        }, blocking);
    }

    /**
     * Whole trials.jsonl before the frontier work that reads it, written on the file's own thread (seconds at
     * 100,000 trials: not on the supervisor's); a failed write is logged and the frontier goes on with the file
     * as it is.
     */
    private void flushTrialsFile(SweepState s) {
        CompletableFuture<Void> flushed = trialsFile.flushLater(s).exceptionally(e -> {
            log.error("could not write {} before the frontier", TrialsFile.NAME, e);
            return null;
        });
        writes = writes.thenCompose(v -> flushed);
    }

    private void writeInterimFrontier(SweepState s) {
        flushTrialsFile(s);
        Path dir = settings.resultsDir();
        writes = writes.thenRunAsync(() -> {
            try {
                new SweepFinisher(null).finish(dir);
            } catch (Exception e) {
                log.warn("could not write the interim frontier in {}: {}", dir, e.toString());
            }
        }, blocking);
    }
}
