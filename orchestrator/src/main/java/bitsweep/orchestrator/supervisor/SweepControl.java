package bitsweep.orchestrator.supervisor;

import bitsweep.orchestrator.supervisor.SupervisorEvent.SweepCancelled;
import bitsweep.orchestrator.supervisor.SupervisorEvent.SweepExtended;
import bitsweep.orchestrator.supervisor.SupervisorEvent.SweepPaused;
import bitsweep.orchestrator.supervisor.SupervisorEvent.SweepResumed;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialCancelled;
import bitsweep.protocol.SupervisorProtocol.ControlReply;
import bitsweep.sweep.TrialSpec;
import bitsweep.sweep.TrialStatus;
import java.util.List;

/**
 * What a user's control command does to the sweep: the events to journal and the answer. Pure (the
 * supervisor journals the events and stops running attempts on their workers).
 */
final class SweepControl {

    /** The events to journal (none: nothing changes) and the answer to give. */
    record Decision(List<SupervisorEvent> events, ControlReply reply) {
        static Decision refused(String message) {
            return new Decision(List.of(), new ControlReply(false, message, List.of()));
        }

        static Decision accepted(SupervisorEvent event, String message, List<String> trialIds) {
            return new Decision(List.of(event), new ControlReply(true, message, trialIds));
        }
    }

    private SweepControl() {
    }

    static Decision cancelTrial(SweepState s, String trialId) {
        TrialEntry t = trialId == null ? null : s.trial(trialId);
        if (t == null) {
            return Decision.refused("no trial '" + trialId + "' in sweep " + s.sweep());
        }
        if (t.terminal()) {
            return Decision.refused("trial " + trialId + " already ended (" + t.status() + ")");
        }
        String was = t.status() == TrialStatus.RUNNING ? "running on " + t.worker() : t.status().text();
        return Decision.accepted(new TrialCancelled(trialId), "trial " + trialId + " cancelled (was " + was + ")",
                List.of(trialId));
    }

    static Decision cancelSweep(SweepState s, long now) {
        if (s.cancelled()) {
            return Decision.refused("sweep " + s.sweep() + " is already cancelled");
        }
        List<String> open = s.trials().values().stream().filter(t -> !t.terminal()).map(t -> t.spec().trialId())
                .toList();
        return Decision.accepted(new SweepCancelled(now), "sweep " + s.sweep() + " cancelled (" + open.size()
                + " unfinished trial(s))", open);
    }

    static Decision pause(SweepState s, long now) {
        if (s.cancelled()) {
            return Decision.refused("sweep " + s.sweep() + " is cancelled");
        }
        if (s.paused()) {
            return Decision.refused("sweep " + s.sweep() + " is already paused");
        }
        return Decision.accepted(new SweepPaused(now), "sweep " + s.sweep() + " paused: no new trial is handed out; "
                + s.count(TrialStatus.RUNNING) + " running trial(s) go on", List.of());
    }

    static Decision resume(SweepState s, long now) {
        if (!s.paused()) {
            return Decision.refused("sweep " + s.sweep() + " is not paused");
        }
        return Decision.accepted(new SweepResumed(now), "sweep " + s.sweep() + " resumed", List.of());
    }

    /**
     * @param ended the sweep has already ended (completion handled): nothing can join it any more
     */
    static Decision extend(SweepState s, List<Double> mus, List<Long> seeds, boolean ended, long now) {
        if (s.cancelled()) {
            return Decision.refused("sweep " + s.sweep() + " is cancelled; it cannot be extended");
        }
        if (ended) {
            return Decision.refused("sweep " + s.sweep() + " has already finished; start it again with the values "
                    + "added to its sweep file");
        }
        List<TrialSpec> added;
        try {
            added = SweepExtension.expand(s.trials().values(), mus, seeds);
        } catch (IllegalArgumentException e) {
            return Decision.refused(e.getMessage());
        }
        if (added.isEmpty()) {
            return Decision.refused("the sweep already has every trial for these values");
        }
        List<String> ids = added.stream().map(TrialSpec::trialId).toList();
        return Decision.accepted(new SweepExtended(mus == null ? List.of() : List.copyOf(mus),
                seeds == null ? List.of() : List.copyOf(seeds), added, now), added.size() + " trial(s) added", ids);
    }
}
