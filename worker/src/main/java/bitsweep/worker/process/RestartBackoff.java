package bitsweep.worker.process;

import java.time.Duration;

/**
 * When to restart a device process that exited: exponential backoff, {@code initial} doubling up to
 * {@code max}; a process that stayed up at least {@code resetAfter} counts as healthy, so its next
 * crash starts again at {@code initial}. Not thread-safe (one instance per device process, used under
 * the supervisor's lock).
 */
public final class RestartBackoff {
    /** Production values: 1 s doubling to 30 s, reset after 60 s up. */
    public static final Duration INITIAL = Duration.ofSeconds(1);
    public static final Duration MAX = Duration.ofSeconds(30);
    public static final Duration RESET_AFTER = Duration.ofSeconds(60);

    private final Duration initial;
    private final Duration max;
    private final Duration resetAfter;
    private int consecutive;

    public RestartBackoff(Duration initial, Duration max, Duration resetAfter) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff: need 0 < initial <= max, got " + initial + ", " + max);
        }
        this.initial = initial;
        this.max = max;
        this.resetAfter = resetAfter;
    }

    public static RestartBackoff standard() {
        return new RestartBackoff(INITIAL, MAX, RESET_AFTER);
    }

    /**
     * A process exited after running for {@code uptime}: returns how long to wait before starting it again.
     */
    public Duration nextDelay(Duration uptime) {
        if (uptime.compareTo(resetAfter) >= 0) {
            consecutive = 0;
        }
        Duration d = initial;
        for (int i = 0; i < consecutive && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        consecutive++;
        return d.compareTo(max) > 0 ? max : d;
    }

    /** Crashes in a row without a healthy run in between. */
    public int consecutiveFailures() {
        return consecutive;
    }
}
