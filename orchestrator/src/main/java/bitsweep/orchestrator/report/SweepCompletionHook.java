package bitsweep.orchestrator.report;

import bitsweep.sweep.TrialStatus;
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
            completion.count(TrialStatus.COMPLETED), completion.count(TrialStatus.FAILED),
            completion.count(TrialStatus.CANCELLED), completion.resultsDir());

    default SweepCompletionHook andThen(SweepCompletionHook next) {
        return c -> {
            onSweepComplete(c);
            next.onSweepComplete(c);
        };
    }

    /**
     * The log line followed by every hook registered in
     * {@code META-INF/services/bitsweep.orchestrator.report.SweepCompletionHook} (public no-arg
     * constructor), e.g. the frontier/report writer — so nodes need no compile-time knowledge of them.
     */
    static SweepCompletionHook discovered() {
        SweepCompletionHook hook = LOG;
        for (SweepCompletionHook h : java.util.ServiceLoader.load(SweepCompletionHook.class)) {
            hook = hook.andThen(h);
        }
        return hook;
    }
}
