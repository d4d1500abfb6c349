package bitsweep.orchestrator.supervisor;

import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialFailed;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialRequeued;

/**
 * What an attempt that did not finish costs its trial. Two kinds of ending, both bounded:
 * <ul>
 *   <li>a <em>failure</em> (the trainer threw, the worker was lost or reported idle, the attempt
 *       stalled or ran past {@code max-trial-time}, its result did not arrive) counts towards
 *       {@code max-attempts}; a failure with the same error in the same epoch as the previous one is
 *       deterministic (a NaN from the same checkpoint) and ends the trial at once;</li>
 *   <li>an <em>interruption</em> (the supervisor restarted, the worker handed the attempt back on a
 *       graceful shutdown or because it was busy) is nobody's fault and does not count as a failure,
 *       but more than {@link #MAX_INTERRUPTIONS} of them end the trial too, so no re-queue path can
 *       loop forever.</li>
 * </ul>
 */
public final class RetryPolicy {
    /** Interruptions a trial may have before it is failed; a restart loop would otherwise never end. */
    public static final int MAX_INTERRUPTIONS = 10;

    private RetryPolicy() {
    }

    /**
     * @param epoch the epoch the attempt failed in as the worker reported it, 0 when unknown (lost
     *              worker, stall): unknown epochs never count as deterministic
     */
    public static TrialFailed failure(TrialEntry t, String error, int epoch, int maxAttempts) {
        String id = t.spec().trialId();
        if (epoch > 0 && t.failedAtEpoch() == epoch && t.error() != null && sameError(t.error(), error)) {
            return new TrialFailed(id, "deterministic failure (the same error in epoch " + epoch
                    + " in two attempts, not retried): " + error, true, epoch);
        }
        return new TrialFailed(id, error, t.failures() + 1 >= maxAttempts, epoch);
    }

    /** A re-queue that is not a failure, or the failure that ends a trial interrupted too often. */
    public static SupervisorEvent interruption(TrialEntry t, String reason) {
        String id = t.spec().trialId();
        if (t.interruptions() + 1 > MAX_INTERRUPTIONS) {
            return new TrialFailed(id, "interrupted " + (t.interruptions() + 1) + " times without finishing (last: "
                    + reason + "); giving up", true, 0);
        }
        return new TrialRequeued(id, reason);
    }

    /** Equal up to numbers: a NaN's batch index or a loss value may differ between two runs. */
    static boolean sameError(String a, String b) {
        return shape(a).equals(shape(b));
    }

    private static String shape(String error) {
        return error.replaceAll("[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?", "#");
    }
}
