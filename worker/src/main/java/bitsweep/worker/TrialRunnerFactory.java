package bitsweep.worker;

import bitsweep.train.TrialRunner;

/**
 * Makes the trial runner for one device worker. The real DJL trainer is picked by class name so
 * this module does not depend on it at compile time; the simulated one serves tests and benchmarks.
 */
@FunctionalInterface
public interface TrialRunnerFactory {
    /** Class name of the real Bayesian Bits trainer. */
    String DJL_RUNNER = "bitsweep.train.DjlTrialRunner";

    TrialRunner create(String device);

    /** Instantiates {@code className} through its public no-argument constructor, once per device. */
    static TrialRunnerFactory byClassName(String className) {
        Class<?> type;
        try {
            type = Class.forName(className);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("trial runner " + className + " is not on the class path"
                    + " (is this build missing the trainer? use --simulate for the simulated trainer)", e);
        }
        if (!TrialRunner.class.isAssignableFrom(type)) {
            throw new IllegalStateException(className + " does not implement " + TrialRunner.class.getName());
        }
        return device -> {
            try {
                return (TrialRunner) type.getConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create " + className + ": " + e, e);
            }
        };
    }
}
