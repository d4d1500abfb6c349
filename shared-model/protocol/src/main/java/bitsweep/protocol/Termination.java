package bitsweep.protocol;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounded waits for an actor system to finish terminating. After a network partition an actor system sometimes
 * never finishes terminating: Pekko's coordinated shutdown reports that its {@code actor-system-terminate} phase
 * timed out and {@code getWhenTerminated()} never completes (seen on the orchestrator after a completed sweep and
 * on a worker downed while cut off, in {@code NetworkPartitionTest}; see docs/cluster.md for the cause). Whoever
 * waits for termination therefore waits a bounded time and then goes on: the orchestrator exits, a worker node
 * starts a fresh actor system or ends its device process.
 */
public final class Termination {
    private static final Logger log = LoggerFactory.getLogger(Termination.class);
    /** Longer than coordinated shutdown's own phases (10 s for actor-system-terminate). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    private Termination() {
    }

    /**
     * Returns whether {@code terminated} completed within {@code timeout}; if not, logs a warning naming
     * {@code what} and saying what happens {@code then}.
     */
    public static boolean await(CompletionStage<?> terminated, Duration timeout, String what, String then)
            throws InterruptedException {
        try {
            terminated.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            log.warn("{} did not finish terminating within {} s; {}", what, timeout.toSeconds(), then);
            return false;
        } catch (ExecutionException e) {
            log.warn("{} terminated with an error: {}", what, e.getCause().toString());
            return true;
        }
    }

    /**
     * Without blocking a thread: completes with {@code true} once {@code terminated} completes (normally or not),
     * with {@code false} if it has not after {@code timeout}. {@code terminated} itself is left as it is.
     */
    public static CompletableFuture<Boolean> within(CompletionStage<?> terminated, Duration timeout) {
        return terminated.toCompletableFuture().handle((done, error) -> true)
                .completeOnTimeout(false, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
