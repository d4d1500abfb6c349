package bitsweep.orchestrator.supervisor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides when a running attempt is hung. Every progress signal of an attempt (a heartbeat while its
 * trainer advances, an epoch, a checkpoint) resets its clock; an attempt whose clock reaches the
 * stall timeout, or that has run longer than {@code max-trial-time}, has expired. Pure: the caller
 * passes the time, so tests need no clock.
 *
 * <p>The stall timeout is the sweep's {@code stall-timeout} when set, else derived from what was
 * seen: {@value #AUTO_FACTOR} times the longest gap between two progress signals of any attempt so
 * far, never below {@link #MIN_AUTO_STALL} (start-up, the first batch and evaluations all fit in it).
 */
public final class Liveness {
    static final Duration MIN_AUTO_STALL = Duration.ofMinutes(10);
    static final int AUTO_FACTOR = 3;

    private final Duration configuredStall;
    private final Duration maxTrialTime;
    private final Map<String, Watch> watches = new HashMap<>();
    private long longestGapNanos;

    private static final class Watch {
        final int attempt;
        final long startedNanos;
        long lastProgressNanos;

        Watch(int attempt, long now) {
            this.attempt = attempt;
            this.startedNanos = now;
            this.lastProgressNanos = now;
        }
    }

    /** An attempt to abort, and why. */
    public record Expiry(String trialId, int attempt, String reason) {
    }

    /**
     * @param stallTimeout null: derived from the progress seen
     * @param maxTrialTime null: no limit
     */
    public Liveness(Duration stallTimeout, Duration maxTrialTime) {
        this.configuredStall = stallTimeout;
        this.maxTrialTime = maxTrialTime;
    }

    public void started(String trialId, int attempt, long nowNanos) {
        watches.put(trialId, new Watch(attempt, nowNanos));
    }

    /** A progress signal; ignored unless it is the watched attempt's. */
    public void progressed(String trialId, int attempt, long nowNanos) {
        Watch w = watches.get(trialId);
        if (w != null && w.attempt == attempt) {
            longestGapNanos = Math.max(longestGapNanos, nowNanos - w.lastProgressNanos);
            w.lastProgressNanos = nowNanos;
        }
    }

    public void stopped(String trialId) {
        watches.remove(trialId);
    }

    public void clear() {
        watches.clear();
    }

    public Duration stallTimeout() {
        if (configuredStall != null) {
            return configuredStall;
        }
        Duration derived = Duration.ofNanos(longestGapNanos).multipliedBy(AUTO_FACTOR);
        return derived.compareTo(MIN_AUTO_STALL) > 0 ? derived : MIN_AUTO_STALL;
    }

    /** The attempts that expired by {@code nowNanos}; they stop being watched. */
    public List<Expiry> expired(long nowNanos) {
        long stall = stallTimeout().toNanos();
        List<Expiry> out = new ArrayList<>();
        var it = watches.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            Watch w = e.getValue();
            long silent = nowNanos - w.lastProgressNanos;
            long running = nowNanos - w.startedNanos;
            String reason = null;
            if (silent >= stall) {
                reason = "no progress for " + human(silent) + " (stall-timeout " + human(stall) + ")";
            } else if (maxTrialTime != null && running >= maxTrialTime.toNanos()) {
                reason = "running for " + human(running) + ", over max-trial-time " + human(maxTrialTime.toNanos());
            }
            if (reason != null) {
                out.add(new Expiry(e.getKey(), w.attempt, reason));
                it.remove();
            }
        }
        return out;
    }

    static String human(long nanos) {
        return ConsoleView.duration(nanos / 1e9);
    }
}
