package bitsweep.worker.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {
    private static final Duration CRASHED_AT_ONCE = Duration.ofSeconds(2);

    @Test
    void crashesInARowWaitOneSecondDoublingUpToThirtySeconds() {
        RestartBackoff b = RestartBackoff.standard();
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            delays.add(b.nextDelay(CRASHED_AT_ONCE).toSeconds());
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L), delays);
        assertEquals(8, b.consecutiveFailures());
    }

    @Test
    void aProcessThatStayedUpSixtySecondsRestartsAfterTheInitialDelayAgain() {
        RestartBackoff b = RestartBackoff.standard();
        for (int i = 0; i < 5; i++) {
            b.nextDelay(CRASHED_AT_ONCE);
        }
        assertEquals(Duration.ofSeconds(1), b.nextDelay(Duration.ofSeconds(60)));
        assertEquals(Duration.ofSeconds(2), b.nextDelay(Duration.ofSeconds(59)));
    }
}
