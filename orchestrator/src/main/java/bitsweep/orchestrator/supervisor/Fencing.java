package bitsweep.orchestrator.supervisor;

import bitsweep.sweep.TrialStatus;

/**
 * Whose word counts about an attempt. A message from a worker about attempt N of a trial is
 * <ul>
 *   <li>{@link Verdict#CURRENT} when the journal has N as the trial's running attempt and the registry
 *       has that worker running it;</li>
 *   <li>{@link Verdict#ADOPTABLE} when the journal re-queued the trial with N as its newest attempt (the
 *       supervisor restarted while the worker kept training) and the worker runs nothing else as far as
 *       the supervisor knows and was not seen dead: the attempt may be given back to it;</li>
 *   <li>{@link Verdict#STALE} otherwise: an aborted, failed or superseded attempt, a worker presumed
 *       lost that came back, an unknown sender. Such messages are ignored.</li>
 * </ul>
 */
final class Fencing {
    enum Verdict { CURRENT, ADOPTABLE, STALE }

    private Fencing() {
    }

    static <W> Verdict judge(SweepState state, WorkerRegistry<W> registry, String trialId, int attempt, W worker) {
        TrialEntry t = state.trial(trialId);
        if (t == null) {
            return Verdict.STALE;
        }
        if (t.isRunningAttempt(attempt) && registry.isCurrent(worker, trialId, attempt)) {
            return Verdict.CURRENT;
        }
        var slot = registry.slot(worker);
        boolean free = slot == null || slot.trialId() == null;
        // a worker seen dead (its attempt already failed as "lost") never gets it back: late news of a
        // partitioned worker's old incarnation is stale, not adoptable
        if (t.status() == TrialStatus.QUEUED && t.attempts() == attempt && !state.cancelled() && free
                && !registry.isLost(worker)) {
            return Verdict.ADOPTABLE;
        }
        return Verdict.STALE;
    }
}
