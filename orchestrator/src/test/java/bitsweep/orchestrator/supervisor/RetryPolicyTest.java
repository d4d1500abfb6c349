package bitsweep.orchestrator.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialFailed;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialRequeued;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final String NAN = "trial t0: loss became NaN at epoch 3 batch 17 (cross-entropy 2.3, regulariser 1.2)";

    private static TrialEntry running() {
        return TrialEntry.queued(TestSweeps.sweep("r", 1, 3).trials().get(0)).assigned(1, "w", 0);
    }

    @Test
    void aFailureIsRetriedUntilMaxAttempts() {
        TrialEntry t = running();
        TrialFailed first = RetryPolicy.failure(t, "CUDA out of memory", 2, 3);
        assertFalse(first.permanent());
        t = t.failed(first.error(), false, 2).assigned(2, "w", 0);
        TrialFailed second = RetryPolicy.failure(t, "connection reset", 4, 3);
        assertFalse(second.permanent());
        t = t.failed(second.error(), false, 4).assigned(3, "w", 0);
        TrialFailed third = RetryPolicy.failure(t, "CUDA out of memory", 2, 3);
        assertTrue(third.permanent(), "the third failure of max-attempts 3 ends the trial");
        assertEquals("CUDA out of memory", third.error());
    }

    @Test
    void theSameErrorInTheSameEpochTwiceFailsTheTrialAtOnceWithItsReason() {
        TrialEntry t = running();
        TrialFailed first = RetryPolicy.failure(t, NAN, 3, 10);
        assertFalse(first.permanent());
        t = t.failed(first.error(), false, 3).assigned(2, "w", 0);
        // a NaN from the same checkpoint: other numbers in the message, same epoch
        TrialFailed again = RetryPolicy.failure(t, NAN.replace("batch 17", "batch 18").replace("2.3", "2.4"), 3, 10);
        assertTrue(again.permanent(), "deterministic: not retried until max-attempts (10)");
        assertTrue(again.error().startsWith("deterministic failure (the same error in epoch 3"), again.error());
        assertTrue(again.error().contains("loss became NaN"), again.error());
    }

    @Test
    void theSameErrorInAnotherEpochOrAnUnknownEpochIsRetried() {
        TrialEntry t = running();
        t = t.failed(NAN, false, 3).assigned(2, "w", 0);
        assertFalse(RetryPolicy.failure(t, NAN, 4, 10).permanent(), "another epoch: it progressed");
        TrialEntry lost = running().failed("worker w was lost", false, 0).assigned(2, "w", 0);
        assertFalse(RetryPolicy.failure(lost, "worker w was lost", 0, 10).permanent(), "epoch unknown");
    }

    @Test
    void interruptionsDoNotCountAsFailuresButAreBounded() {
        TrialEntry t = running();
        for (int i = 0; i < RetryPolicy.MAX_INTERRUPTIONS; i++) {
            SupervisorEvent e = RetryPolicy.interruption(t, "supervisor restarted");
            assertInstanceOf(TrialRequeued.class, e, "interruption " + (i + 1));
            t = t.interrupted().assigned(t.attempts() + 1, "w", 0);
        }
        assertEquals(0, t.failures());
        SupervisorEvent last = RetryPolicy.interruption(t, "worker w shut down");
        TrialFailed failed = assertInstanceOf(TrialFailed.class, last);
        assertTrue(failed.permanent());
        assertTrue(failed.error().contains("interrupted 11 times") && failed.error().contains("worker w shut down"),
                failed.error());
    }
}
