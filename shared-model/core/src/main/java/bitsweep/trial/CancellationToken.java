package bitsweep.trial;

import java.util.concurrent.atomic.AtomicBoolean;

/** Cooperative cancellation, checked by the trainer between batches. */
public final class CancellationToken {
    private final AtomicBoolean cancelled = new AtomicBoolean();

    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    public static CancellationToken none() {
        return new CancellationToken();
    }
}
