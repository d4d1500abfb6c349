package bitsweep.orchestrator.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkerRegistryTest {

    @Test
    void idleWorkersGetTheQueueHeadInTheOrderTheyAsked() {
        WorkerRegistry<String> r = new WorkerRegistry<>();
        r.track("b", "b");
        r.track("a", "a");
        r.idle("a");
        r.idle("b");
        Map<String, Integer> attempts = Map.of("t0", 1, "t1", 3, "t2", 1);
        var plan = r.plan(List.of("t0", "t1", "t2"), attempts::get);
        assertEquals(List.of(new WorkerRegistry.Assignment<>("a", "t0", 1), new WorkerRegistry.Assignment<>("b", "t1", 3)),
                plan);
        assertEquals(List.of(), r.plan(List.of("t2"), attempts::get), "nobody idle any more");
    }

    @Test
    void onlyTheWorkerRunningExactlyThatAttemptIsCurrent() {
        WorkerRegistry<String> r = new WorkerRegistry<>();
        r.track("a", "a");
        r.track("b", "b");
        r.running("a", "t0", 2);
        assertTrue(r.isCurrent("a", "t0", 2));
        assertFalse(r.isCurrent("a", "t0", 1), "an older attempt");
        assertFalse(r.isCurrent("b", "t0", 2), "another worker");
        assertFalse(r.isCurrent("c", "t0", 2), "an unknown sender");
        r.release("a", "t1");
        assertTrue(r.isCurrent("a", "t0", 2), "releasing another trial changes nothing");
        r.release("a", "t0");
        assertFalse(r.isCurrent("a", "t0", 2));
    }

    @Test
    void aLostWorkerIsForgottenAndRemembered() {
        WorkerRegistry<String> r = new WorkerRegistry<>();
        r.track("a", "node/gpu(0)");
        r.running("a", "t0", 1);
        assertEquals(Optional.of("a"), r.runnerOf("t0"));
        WorkerRegistry.Slot slot = r.lose("a");
        assertEquals("t0", slot.trialId());
        assertTrue(r.isLost("a"));
        assertFalse(r.knows("a"));
        assertEquals(Optional.empty(), r.runnerOf("t0"));
    }
}
