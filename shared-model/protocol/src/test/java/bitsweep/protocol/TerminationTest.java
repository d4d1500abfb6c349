package bitsweep.protocol;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TerminationTest {
    @Test
    void anActorSystemThatNeverFinishesTerminatingIsNotWaitedForForever() throws Exception {
        assertFalse(Termination.await(new CompletableFuture<>(), Duration.ofMillis(50), "test system", "going on"));
    }

    @Test
    void aTerminatedActorSystemIsReportedSo() throws Exception {
        assertTrue(Termination.await(CompletableFuture.completedFuture(null), Duration.ofSeconds(5), "test system",
                "going on"));
        assertTrue(Termination.await(CompletableFuture.failedFuture(new IllegalStateException("boom")),
                Duration.ofSeconds(5), "test system", "going on"));
    }

    @Test
    void withinCompletesWithFalseForATerminationThatNeverFinishesAndLeavesItUntouched() throws Exception {
        CompletableFuture<Void> never = new CompletableFuture<>();
        assertFalse(Termination.within(never, Duration.ofMillis(50)).get(5, TimeUnit.SECONDS));
        assertFalse(never.isDone(), "the termination future itself is not completed by the timeout");
    }

    @Test
    void withinCompletesWithTrueOnceTerminatedNormallyOrWithAnError() throws Exception {
        CompletableFuture<Void> later = new CompletableFuture<>();
        CompletableFuture<Boolean> result = Termination.within(later, Duration.ofSeconds(30));
        later.complete(null);
        assertTrue(result.get(5, TimeUnit.SECONDS));
        assertTrue(Termination.within(CompletableFuture.failedFuture(new IllegalStateException("boom")),
                Duration.ofSeconds(30)).get(5, TimeUnit.SECONDS));
    }
}
