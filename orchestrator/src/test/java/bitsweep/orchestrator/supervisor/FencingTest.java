package bitsweep.orchestrator.supervisor;

import static bitsweep.orchestrator.supervisor.Fencing.Verdict.ADOPTABLE;
import static bitsweep.orchestrator.supervisor.Fencing.Verdict.CURRENT;
import static bitsweep.orchestrator.supervisor.Fencing.Verdict.STALE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import bitsweep.orchestrator.supervisor.SupervisorEvent.SweepCancelled;
import bitsweep.orchestrator.supervisor.SupervisorEvent.SweepStarted;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialAssigned;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialFailed;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialQueued;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialRequeued;
import org.junit.jupiter.api.Test;

class FencingTest {
    private final WorkerRegistry<String> registry = new WorkerRegistry<>();

    private static SweepState assignedTwice() {
        var spec = TestSweeps.sweep("f", 1, 3).trials().get(0);
        return SweepState.empty().apply(new SweepStarted("f", 3, 0)).apply(new TrialQueued(spec))
                .apply(new TrialAssigned("t0", 1, "a", 0)).apply(new TrialFailed("t0", "boom", false, 1))
                .apply(new TrialAssigned("t0", 2, "b", 0));
    }

    @Test
    void onlyTheRunningAttemptOfItsOwnWorkerIsCurrent() {
        SweepState s = assignedTwice();
        registry.track("a", "a");
        registry.track("b", "b");
        registry.running("b", "t0", 2);
        assertEquals(CURRENT, Fencing.judge(s, registry, "t0", 2, "b"));
        assertEquals(STALE, Fencing.judge(s, registry, "t0", 1, "a"), "the failed attempt");
        assertEquals(STALE, Fencing.judge(s, registry, "t0", 2, "a"), "right attempt, wrong worker");
        assertEquals(STALE, Fencing.judge(s, registry, "t0", 2, "stranger"), "unknown sender");
        assertEquals(STALE, Fencing.judge(s, registry, "t9", 1, "b"), "unknown trial");
    }

    @Test
    void aRequeuedAttemptIsAdoptableOnlyIfItIsTheNewestAndItsWorkerIsFree() {
        SweepState s = assignedTwice().apply(new TrialRequeued("t0", "supervisor restarted"));
        assertEquals(ADOPTABLE, Fencing.judge(s, registry, "t0", 2, "b"), "after a restart nobody is known");
        assertEquals(STALE, Fencing.judge(s, registry, "t0", 1, "a"), "not the newest attempt");
        registry.track("b", "b");
        registry.running("b", "t1", 1);
        assertEquals(STALE, Fencing.judge(s, registry, "t0", 2, "b"), "the worker runs something else now");
        assertEquals(STALE, Fencing.judge(s.apply(new SweepCancelled(0)), new WorkerRegistry<>(), "t0", 2, "b"),
                "nothing is adopted into a cancelled sweep");
    }

    @Test
    void aLostWorkersLateNewsOfItsRequeuedAttemptIsStaleNotAdoptable() {
        // worker a was cut off and downed while running attempt 1: the attempt failed and the trial waits in the queue
        var spec = TestSweeps.sweep("f", 1, 3).trials().get(0);
        SweepState s = SweepState.empty().apply(new SweepStarted("f", 3, 0)).apply(new TrialQueued(spec))
                .apply(new TrialAssigned("t0", 1, "a", 0)).apply(new TrialFailed("t0", "worker a was lost", false, 0));
        registry.track("a", "a");
        registry.running("a", "t0", 1);
        registry.lose("a");
        assertEquals(STALE, Fencing.judge(s, registry, "t0", 1, "a"), "its result, progress or heartbeat arrives late");
    }
}
