package bitsweep.worker;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Time from "worker asks for a trial" to "worker has its assignment", in nanoseconds, for the
 * scheduler benchmark and diagnostics. A worker's first ask is kept apart: it also waits for the
 * sweep to start (journal recovery, the {@code --min-workers} gate), which is start-up, not
 * scheduling. Bounded: keeps the first {@code capacity} samples of each kind.
 */
public final class AssignmentLatency {
    private final Samples steady;
    private final Samples first;

    public AssignmentLatency(int capacity) {
        this.steady = new Samples(capacity);
        this.first = new Samples(capacity);
    }

    public static AssignmentLatency none() {
        return new AssignmentLatency(0);
    }

    void record(long nanos, boolean firstAsk) {
        (firstAsk ? first : steady).record(nanos);
    }

    /** Latencies of every ask after a worker's first assignment (asking for its next trial), in ask order. */
    public long[] snapshot() {
        return steady.inOrder();
    }

    /** Latencies of each worker's first ask, in ask order. */
    public long[] firstAskSnapshot() {
        return first.inOrder();
    }

    private static final class Samples {
        private final AtomicLongArray values;
        private final AtomicInteger count = new AtomicInteger();

        Samples(int capacity) {
            values = new AtomicLongArray(capacity);
        }

        void record(long nanos) {
            int i = count.getAndIncrement();
            if (i < values.length()) {
                values.set(i, nanos);
            }
        }

        long[] inOrder() {
            int n = Math.min(count.get(), values.length());
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                out[i] = values.get(i);
            }
            return out;
        }
    }
}
