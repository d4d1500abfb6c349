package bitsweep.orchestrator.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.orchestrator.supervisor.SupervisorEvent.SweepCancelled;
import bitsweep.orchestrator.supervisor.SupervisorEvent.SweepStarted;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialAssigned;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialCompleted;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialFailed;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialQueued;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialRequeued;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import bitsweep.trial.TrialResult;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepStateTest {

    private static SweepState queued(int n) {
        SweepState s = SweepState.empty().apply(new SweepStarted("s", 3, 0));
        for (var spec : TestSweeps.sweep("s", n, 3).trials()) {
            s = s.apply(new TrialQueued(spec));
        }
        return s;
    }

    @Test
    void anEventLeavesTheEarlierStateAsItWas() {
        SweepState before = queued(3);
        SweepState after = before.apply(new TrialAssigned("t0", 1, "w", 5));
        assertEquals(TrialStatus.QUEUED, before.trial("t0").status());
        assertEquals(List.of("t0", "t1", "t2"), before.queue());
        assertEquals(TrialStatus.RUNNING, after.trial("t0").status());
        assertEquals(List.of("t1", "t2"), after.queue());
    }

    @Test
    void aRequeuedTrialGoesToTheFrontAndKeepsItsPlaceInTheTrials() {
        SweepState s = queued(3).apply(new TrialAssigned("t1", 1, "w", 5))
                .apply(new TrialRequeued("t1", "supervisor restarted"))
                .apply(new TrialAssigned("t2", 1, "w", 6))
                .apply(new TrialFailed("t2", "NaN", false, 1));
        assertEquals(List.of("t2", "t1", "t0"), s.queue());
        assertEquals(List.of("t0", "t1", "t2"), List.copyOf(s.trials().keySet()));
        assertTrue(s.queue().contains("t1"));
        assertEquals("t1", s.queue().get(1));
    }

    @Test
    void countsFollowEveryStatusChange() {
        SweepState s = queued(4).apply(new TrialAssigned("t0", 1, "w", 1)).apply(new TrialAssigned("t1", 1, "w2", 1));
        assertEquals(2, s.count(TrialStatus.QUEUED));
        assertEquals(2, s.count(TrialStatus.RUNNING));
        s = s.apply(new TrialCompleted("t0", null, null, 2)).apply(new TrialFailed("t1", "x", true, 0));
        assertEquals(1, s.count(TrialStatus.COMPLETED));
        assertEquals(1, s.count(TrialStatus.FAILED));
        assertEquals(0, s.count(TrialStatus.RUNNING));
        assertFalse(s.allTerminal());
        s = s.apply(new SweepCancelled(3));
        assertEquals(2, s.count(TrialStatus.CANCELLED));
        assertTrue(s.allTerminal());
        assertEquals(List.of(), s.queue());
    }

    private static TrialResult result(String id, double wallSeconds) {
        return new TrialResult(id, null, null, 97.0, 5.0, 1.0, List.of(), Map.of(), null, wallSeconds);
    }

    @Test
    void theMeanTrialTimeFollowsCompletionsAndSurvivesASnapshot() throws Exception {
        SweepState s = queued(3);
        assertTrue(Double.isNaN(s.meanTrialSeconds()), "no trial has a result yet");
        s = s.apply(new TrialAssigned("t0", 1, "w", 1)).apply(new TrialCompleted("t0", result("t0", 100), null, 2))
                .apply(new TrialAssigned("t1", 1, "w", 3)).apply(new TrialCompleted("t1", result("t1", 40), null, 4))
                .apply(new TrialAssigned("t2", 1, "w", 5)).apply(new TrialFailed("t2", "NaN", true, 1));
        assertEquals(70.0, s.meanTrialSeconds(), 1e-9, "failed trials have no result and do not count");

        ObjectMapper cbor = new ObjectMapper(new CBORFactory());
        SweepState back = cbor.readValue(cbor.writeValueAsBytes(s), SweepState.class);
        assertEquals(70.0, back.meanTrialSeconds(), 1e-9);
        // the same as the plain stream it replaces
        assertEquals(s.trials().values().stream().filter(t -> t.result() != null)
                .mapToDouble(t -> t.result().wallSeconds()).average().orElseThrow(), back.meanTrialSeconds(), 1e-9);
    }

    @Test
    void aSnapshotKeepsItsFormatAndLoadsBackEqual() throws Exception {
        ObjectMapper cbor = new ObjectMapper(new CBORFactory());
        SweepState s = queued(3).apply(new TrialAssigned("t2", 1, "w", 1)).apply(new TrialRequeued("t2", "r"));
        SweepState back = cbor.readValue(cbor.writeValueAsBytes(s), SweepState.class);
        assertEquals(s, back);
        assertEquals(List.of("t2", "t0", "t1"), back.queue());
        assertEquals(1, back.count(TrialStatus.QUEUED) - 2);
        // the same form as a state made of plain collections (snapshots taken before this change)
        Map<String, TrialEntry> plain = new LinkedHashMap<>(s.trials());
        SweepState old = new SweepState("s", true, false, 3, plain, List.of("t2", "t0", "t1"), false, null);
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(json.writeValueAsString(old)), json.readTree(json.writeValueAsString(s)));
        assertEquals(3, old.count(TrialStatus.QUEUED));
    }

    @Test
    void aStateBuiltFromTrialMapAndTrialQueueUsesThemAsTheyAre() {
        SweepState s = queued(2);
        SweepState copy = new SweepState("s", true, false, 3, s.trials(), s.queue(), false, List.of());
        assertSame(s.trials(), copy.trials());
        assertSame(s.queue(), copy.queue());
    }
}
