package bitsweep.train;

import bitsweep.trial.CancellationToken;
import bitsweep.trial.TrialCancelledException;
import bitsweep.trial.TrialFailedException;
import bitsweep.trial.TrialListener;
import bitsweep.trial.TrialResult;

/**
 * Runs one trial to completion on the calling thread (blocking; never call it on an actor
 * dispatcher). Implementations: the real DJL Bayesian Bits trainer, and a simulated trainer for
 * scheduler tests and benchmarks.
 */
public interface TrialRunner {

    /**
     * @return the final result; its artifact path is relative to {@link TrialRequest#workDir()}
     * @throws TrialFailedException when the trial cannot finish (NaN loss, bad data, OOM, …)
     * @throws TrialCancelledException when {@code cancel} was observed
     */
    TrialResult run(TrialRequest request, TrialListener listener, CancellationToken cancel)
            throws TrialFailedException, TrialCancelledException;
}
