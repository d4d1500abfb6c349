package bitsweep.orchestrator.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.orchestrator.supervisor.SupervisorEvent.SweepStarted;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialAssigned;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialQueued;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialSpec;
import bitsweep.sweep.TrialStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepControlTest {

    private static SweepState state() {
        SweepState s = SweepState.empty().apply(new SweepStarted("c", 3, 0));
        for (int i = 0; i < 3; i++) {
            s = s.apply(new TrialQueued(new TrialSpec("t" + i, "c", "base", Map.of(), TestSweeps.config(2))));
        }
        return s.apply(new TrialAssigned("t0", 1, "w0", 1));
    }

    private static SweepState apply(SweepState s, SweepControl.Decision d) {
        for (SupervisorEvent e : d.events()) {
            s = s.apply(e);
        }
        return s;
    }

    @Test
    void cancellingARunningTrialSaysWhereItRanAndTakesItOutOfTheSweep() {
        var d = SweepControl.cancelTrial(state(), "t0");
        assertTrue(d.reply().accepted());
        assertEquals("trial t0 cancelled (was running on w0)", d.reply().message());
        assertEquals(TrialStatus.CANCELLED, apply(state(), d).trial("t0").status());
    }

    @Test
    void unknownOrFinishedTrialsAreRefusedWithoutEvents() {
        var unknown = SweepControl.cancelTrial(state(), "nope");
        assertFalse(unknown.reply().accepted());
        assertEquals("no trial 'nope' in sweep c", unknown.reply().message());
        SweepState cancelled = apply(state(), SweepControl.cancelTrial(state(), "t1"));
        var again = SweepControl.cancelTrial(cancelled, "t1");
        assertFalse(again.reply().accepted());
        assertTrue(again.events().isEmpty());
        assertEquals("trial t1 already ended (cancelled)", again.reply().message());
    }

    @Test
    void pauseAndResumeToggleOnceAndAreRefusedWhenNothingChanges() {
        SweepState paused = apply(state(), SweepControl.pause(state(), 5));
        assertTrue(paused.paused());
        assertFalse(SweepControl.pause(paused, 6).reply().accepted());
        assertFalse(SweepControl.resume(state(), 6).reply().accepted());
        assertFalse(apply(paused, SweepControl.resume(paused, 7)).paused());
    }

    @Test
    void cancellingTheSweepListsItsUnfinishedTrialsAndThenRefusesExtensions() {
        var d = SweepControl.cancelSweep(state(), 9);
        assertEquals(List.of("t0", "t1", "t2"), d.reply().trialIds());
        SweepState cancelled = apply(state(), d);
        assertTrue(cancelled.cancelled());
        assertFalse(SweepControl.cancelSweep(cancelled, 10).reply().accepted());
        assertFalse(SweepControl.extend(cancelled, List.of(0.5), List.of(), false, 11).reply().accepted());
    }

    @Test
    void anExtensionQueuesItsTrialsAsExtendedNotAsRefinement() {
        var d = SweepControl.extend(state(), List.of(), List.of(5L), false, 12);
        assertTrue(d.reply().accepted(), d.reply().message());
        SweepState s = apply(state(), d);
        assertEquals(d.reply().trialIds(), s.extended());
        assertTrue(s.queue().containsAll(d.reply().trialIds()));
        assertFalse(SweepControl.extend(state(), List.of(), List.of(5L), true, 12).reply().accepted(),
                "a finished sweep cannot grow");
    }

    @Test
    void aSnapshotTakenBeforePauseAndExtensionExistedStillLoads() throws Exception {
        SweepState old = new com.fasterxml.jackson.databind.ObjectMapper().readValue("""
                {"sweep": "s", "started": true, "cancelled": false, "maxAttempts": 3, "trials": {}, "queue": []}
                """, SweepState.class);
        assertFalse(old.paused());
        assertEquals(List.of(), old.extended());
    }
}
