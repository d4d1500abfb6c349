package bitsweep.orchestrator.node;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits a bounded time for an actor system to finish terminating once its work is done. After a network
 * partition the orchestrator's actor system sometimes never finished terminating (Pekko's coordinated shutdown
 * reported its {@code actor-system-terminate} phase timed out, every thread idle), and the orchestrator waited
 * forever after a completed sweep; seen in {@code NetworkPartitionTest}. The sweep is journaled and its results
 * written by then, so the command goes on and the process exits.
 */
final class Termination {
    private static final Logger log = LoggerFactory.getLogger(Termination.class);
    /** Longer than coordinated shutdown's own phases (10 s for actor-system-terminate). */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    private Termination() {
    }

    /** Returns whether {@code terminated} completed within {@code timeout}; logs a warning naming {@code what} if not. */
    static boolean await(CompletionStage<?> terminated, Duration timeout, String what) throws InterruptedException {
        try {
            terminated.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            log.warn("{} did not finish terminating within {} s; its work is done, exiting anyway", what,
                    timeout.toSeconds());
            return false;
        } catch (ExecutionException e) {
            log.warn("{} terminated with an error: {}", what, e.getCause().toString());
            return true;
        }
    }
}
