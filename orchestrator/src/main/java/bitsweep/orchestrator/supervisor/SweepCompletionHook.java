package bitsweep.orchestrator.supervisor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs once per supervisor incarnation when every trial is completed, failed or cancelled (on a
 * blocking thread, not the supervisor's). The frontier, export and report plug in here.
 */
@FunctionalInterface
public interface SweepCompletionHook {

    void onSweepComplete(SweepCompletion completion) throws Exception;

    /** Logs a one-line summary; the default when nothing else is wired in. */
    SweepCompletionHook LOG = completion -> LoggerFactory.getLogger(SweepCompletionHook.class).info(
            "sweep {} finished: {} completed, {} failed, {} cancelled; results in {}", completion.sweep(),
            completion.count("completed"), completion.count("failed"), completion.count("cancelled"),
            completion.resultsDir());

    default SweepCompletionHook andThen(SweepCompletionHook next) {
        return c -> {
            onSweepComplete(c);
            next.onSweepComplete(c);
        };
    }

    static Logger log() {
        return LoggerFactory.getLogger(SweepCompletionHook.class);
    }
}
