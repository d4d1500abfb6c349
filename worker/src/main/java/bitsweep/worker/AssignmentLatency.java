package bitsweep.worker;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Time from "worker asks for a trial" to "worker has its assignment", in nanoseconds, for the
 * scheduler benchmark and diagnostics. Bounded: keeps the first {@code capacity} samples.
 */
public final class AssignmentLatency {
    private final AtomicLongArray samples;
    private final AtomicInteger count = new AtomicInteger();

    public AssignmentLatency(int capacity) {
        this.samples = new AtomicLongArray(capacity);
    }

    public static AssignmentLatency none() {
        return new AssignmentLatency(0);
    }

    void record(long nanos) {
        int i = count.getAndIncrement();
        if (i < samples.length()) {
            samples.set(i, nanos);
        }
    }

    public long[] snapshot() {
        int n = Math.min(count.get(), samples.length());
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = samples.get(i);
        }
        Arrays.sort(out);
        return out;
    }
}
