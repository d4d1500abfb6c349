package bitsweep.orchestrator.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LivenessTest {
    private static final long S = 1_000_000_000L;

    @Test
    void anAttemptWithoutProgressForTheStallTimeoutExpiresOnce() {
        Liveness l = new Liveness(Duration.ofSeconds(30), null);
        l.started("t0", 1, 0);
        l.started("t1", 1, 0);
        l.progressed("t1", 1, 25 * S);
        assertEquals(List.of(), l.expired(29 * S));
        List<Liveness.Expiry> expired = l.expired(30 * S);
        assertEquals(1, expired.size());
        assertEquals("t0", expired.get(0).trialId());
        assertTrue(expired.get(0).reason().contains("no progress for 30s (stall-timeout 30s)"), expired.get(0).reason());
        assertEquals(List.of(), l.expired(31 * S), "reported once");
        assertEquals("t1", l.expired(55 * S).get(0).trialId());
    }

    @Test
    void progressOfAnotherAttemptDoesNotKeepTheWatchedOneAlive() {
        Liveness l = new Liveness(Duration.ofSeconds(10), null);
        l.started("t0", 2, 0);
        l.progressed("t0", 1, 9 * S); // a stale attempt still reporting
        assertEquals(2, l.expired(10 * S).get(0).attempt());
    }

    @Test
    void theDerivedStallTimeoutIsThreeTimesTheLongestGapAndAtLeastTenMinutes() {
        Liveness l = new Liveness(null, null);
        assertEquals(Duration.ofMinutes(10), l.stallTimeout());
        l.started("t0", 1, 0);
        l.progressed("t0", 1, 60 * S);
        assertEquals(Duration.ofMinutes(10), l.stallTimeout(), "3 x 1 min is below the floor");
        l.progressed("t0", 1, 60 * S + 300 * S); // a 5-minute gap, e.g. a long evaluation
        assertEquals(Duration.ofMinutes(15), l.stallTimeout());
        assertEquals(List.of(), l.expired(360 * S + 899 * S));
        assertEquals(1, l.expired(360 * S + 900 * S).size());
    }

    @Test
    void anAttemptOverMaxTrialTimeExpiresEvenWhileItProgresses() {
        Liveness l = new Liveness(Duration.ofMinutes(5), Duration.ofHours(1));
        l.started("t0", 1, 0);
        for (long t = 60; t < 3600; t += 60) {
            l.progressed("t0", 1, t * S);
            assertEquals(List.of(), l.expired(t * S));
        }
        List<Liveness.Expiry> expired = l.expired(3600 * S);
        assertTrue(expired.get(0).reason().contains("over max-trial-time 1h00m"), expired.get(0).reason());
    }

    @Test
    void stoppedAttemptsAreNotWatched() {
        Liveness l = new Liveness(Duration.ofSeconds(1), null);
        l.started("t0", 1, 0);
        l.stopped("t0");
        assertEquals(List.of(), l.expired(100 * S));
    }
}
