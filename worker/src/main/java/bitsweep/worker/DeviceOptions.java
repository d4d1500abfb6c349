package bitsweep.worker;

import java.util.List;
import picocli.CommandLine.Option;

/** Which devices get a worker and which trainer they run: shared by {@code worker} and {@code run}. */
public final class DeviceOptions {

    @Option(names = "--gpus", paramLabel = "LIST",
            description = "GPU indices (0,1,…) or 'all' (default: all visible, else one CPU worker)")
    String gpus;

    @Option(names = "--cpu-workers", paramLabel = "N", description = "number of CPU workers")
    Integer cpuWorkers;

    @Option(names = "--simulate", paramLabel = "MIN-MAXms",
            description = "use the simulated trainer with trial durations drawn from MIN..MAX ms, e.g. 50-500 "
                    + "(trying the scheduler, tests, benchmarks)")
    String simulate;

    /** One entry per worker: {@code gpu(i)} or {@code cpu()}. */
    public List<String> devices() {
        return DeviceSelection.select(gpus, cpuWorkers);
    }

    public TrialRunnerFactory runners() {
        return WorkerCommand.runners(simulate);
    }
}
