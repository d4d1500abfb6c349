package bitsweep.orchestrator.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.orchestrator.supervisor.SupervisorEvent.SweepStarted;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialAssigned;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialQueued;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JournalBatchTest {
    private final SweepState durable = SweepState.empty()
            .apply(new SweepStarted("s", 3, 0))
            .apply(new TrialQueued(TestSweeps.sweep("s", 2, 3).trials().get(0)))
            .apply(new TrialQueued(TestSweeps.sweep("s", 2, 3).trials().get(1)));
    private final JournalBatch batch = new JournalBatch();

    @Test
    void theSecondCommandOfABatchDecidesOnTheFirstOnesEvents() {
        batch.add(batch.view(durable), List.of(new TrialAssigned("t0", 1, "w1", 0)), null);
        SweepState view = batch.view(durable);
        assertEquals(1, view.trial("t0").attempts(), "the pending assignment is visible");
        assertEquals(0, durable.trial("t0").attempts(), "the durable state is untouched");
        batch.add(view, List.of(new TrialAssigned("t1", 1, "w2", 0)), null);
        assertEquals(1, batch.view(durable).trial("t1").attempts());
        assertEquals(2, batch.take().events().size());
        assertSame(durable, batch.view(durable), "an empty batch adds nothing to the durable state");
    }

    @Test
    void oneFlushIsClaimedPerBatchAndOnlyWhenSomethingWaits() {
        assertFalse(batch.claimFlush(), "nothing pending");
        batch.add(durable, List.of(new TrialAssigned("t0", 1, "w1", 0)), null);
        assertTrue(batch.claimFlush());
        batch.add(batch.view(durable), List.of(new TrialAssigned("t1", 1, "w2", 0)), null);
        assertFalse(batch.claimFlush(), "already claimed");
        batch.take();
        batch.add(durable, List.of(), s -> { });
        assertTrue(batch.claimFlush(), "an action alone waits for a write too");
    }

    @Test
    void actionsRunAfterTheWriteInTheOrderTheCommandsCame() {
        List<String> ran = new ArrayList<>();
        batch.add(durable, List.of(new TrialAssigned("t0", 1, "w1", 0)), s -> ran.add("assign t0"));
        batch.add(batch.view(durable), List.of(), s -> ran.add("cancel t0"));
        JournalBatch.Write w = batch.take();
        assertTrue(ran.isEmpty(), "nothing runs before the write is durable");
        w.runAfterWrite(durable);
        assertEquals(List.of("assign t0", "cancel t0"), ran);
        assertFalse(batch.pending());
    }

    @Test
    void countsWritesAndEventsButNotWritesWithoutEvents() {
        batch.add(durable, List.of(new TrialAssigned("t0", 1, "w1", 0), new TrialAssigned("t1", 1, "w2", 0)), null);
        batch.take();
        batch.add(durable, List.of(), s -> { });
        batch.take();
        assertEquals(1, batch.writes());
        assertEquals(2, batch.eventsWritten());
    }

    @Test
    void aDiscardedBatchLeavesNothingBehind() {
        List<String> ran = new ArrayList<>();
        batch.add(durable, List.of(new TrialAssigned("t0", 1, "w1", 0)), s -> ran.add("x"));
        batch.claimFlush();
        batch.discard();
        assertFalse(batch.pending());
        assertSame(durable, batch.view(durable));
        assertTrue(batch.take().events().isEmpty());
        assertTrue(ran.isEmpty());
        assertEquals(0, batch.writes());
    }

    @Test
    void aBatchIsFullAtItsEventLimit() {
        SweepState started = SweepState.empty().apply(new SweepStarted("big", 3, 0));
        List<SupervisorEvent> queued = new ArrayList<>();
        TestSweeps.sweep("big", JournalBatch.MAX_EVENTS, 3).trials().forEach(t -> queued.add(new TrialQueued(t)));
        batch.add(started, queued.subList(0, queued.size() - 1), null);
        assertFalse(batch.full());
        batch.add(batch.view(started), queued.subList(queued.size() - 1, queued.size()), null);
        assertTrue(batch.full());
    }
}
