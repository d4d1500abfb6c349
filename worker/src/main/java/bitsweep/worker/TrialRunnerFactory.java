package bitsweep.worker;

import bitsweep.train.TrialRunner;
import bitsweep.worker.sim.SimulatedTrialRunner;

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

    /**
     * The real trainer, or the simulated one for {@code --simulate MIN-MAX}. Failure drills with the
     * simulated trainer: {@code -Dbitsweep.simulate.fail=ID,…} (every attempt of those trials fails) and
     * {@code -Dbitsweep.simulate.stuck=ID,…} (their first attempt blocks forever, ignoring cancellation).
     */
    static TrialRunnerFactory forSimulateOption(String simulate) {
        if (simulate == null) {
            return TrialRunnerFactory.byClassName(TrialRunnerFactory.DJL_RUNNER);
        }
        String[] parts = simulate.replace("ms", "").split("-");
        try {
            long min = Long.parseLong(parts[0].trim());
            long max = parts.length > 1 ? Long.parseLong(parts[1].trim()) : min;
            SimulatedTrialRunner.Settings s = SimulatedTrialRunner.Settings.durations(min, max)
                    .failing(idsFromProperty("bitsweep.simulate.fail")).stuck(idsFromProperty("bitsweep.simulate.stuck"));
            return device -> new SimulatedTrialRunner(s);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("--simulate: expected MIN-MAX in milliseconds, e.g. 50-500, got '"
                    + simulate + "'");
        }
    }

    private static java.util.Set<String> idsFromProperty(String key) {
        String v = System.getProperty(key, "");
        return java.util.Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty())
                .collect(java.util.stream.Collectors.toSet());
    }
}
