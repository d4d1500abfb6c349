package bitsweep.orchestrator.supervisor;

import bitsweep.orchestrator.report.Refinement;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialQueued;
import bitsweep.sweep.Sweep;
import bitsweep.sweep.SweepExpander;
import bitsweep.sweep.TrialSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Once the grid is done, proposes refinement trials: up to one per worker per round at the
 * geometric-midpoint MU of the widest frontier gaps ({@link Refinement}), until the sweep's
 * {@code refine: extra-trials} budget is spent. Proposals are ordinary {@link TrialQueued} events, so
 * a restarted supervisor keeps them and counts them against the budget.
 */
final class RefinementPolicy {
    private final Sweep sweep;
    private final Set<String> grid = new HashSet<>();

    RefinementPolicy(Sweep sweep) {
        this.sweep = sweep;
        sweep.trials().forEach(t -> grid.add(t.trialId()));
    }

    /** Extra trials the sweep may still add: its budget minus trials the journal has beyond the grid. */
    int left(SweepState s) {
        Set<String> extended = new HashSet<>(s.extended()); // a user's extension is not refinement
        long extra = s.trials().keySet().stream().filter(id -> !grid.contains(id) && !extended.contains(id)).count();
        return (int) Math.max(0, sweep.refineExtraTrials() - extra);
    }

    /** The next round's trials (empty: no gap left to split, or no budget). */
    List<TrialQueued> nextRound(SweepState s, int workers) {
        int round = Math.min(left(s), Math.max(1, workers));
        List<TrialQueued> out = new ArrayList<>();
        if (round == 0) {
            return out;
        }
        Set<String> queued = new LinkedHashSet<>();
        for (Refinement.Proposal p : Refinement.forSweep(s.records(), round)) {
            TrialEntry base = s.trial(p.baseTrialId());
            if (base == null) {
                continue;
            }
            TrialSpec spec = SweepExpander.derive(base.spec(), Map.of("gating-lambda", p.mu()));
            if (s.trial(spec.trialId()) == null && queued.add(spec.trialId())) {
                out.add(new TrialQueued(spec));
            }
        }
        return out;
    }
}
