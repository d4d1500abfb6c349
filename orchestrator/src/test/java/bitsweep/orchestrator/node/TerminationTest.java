package bitsweep.orchestrator.node;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class TerminationTest {
    @Test
    void anActorSystemThatNeverFinishesTerminatingIsNotWaitedForForever() throws Exception {
        assertFalse(Termination.await(new CompletableFuture<>(), Duration.ofMillis(50), "test system"));
    }

    @Test
    void aTerminatedActorSystemIsReportedSo() throws Exception {
        assertTrue(Termination.await(CompletableFuture.completedFuture(null), Duration.ofSeconds(5), "test system"));
        assertTrue(Termination.await(CompletableFuture.failedFuture(new IllegalStateException("boom")),
                Duration.ofSeconds(5), "test system"));
    }
}
