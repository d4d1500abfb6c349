package bitsweep.worker;

import bitsweep.natives.GpuNatives;
import bitsweep.worker.process.ChildJvm;
import bitsweep.worker.process.DeviceSlot;
import java.util.List;
import picocli.CommandLine.Option;

/** Which devices get a worker and which trainer they run: shared by {@code worker} and {@code run}. */
public final class DeviceOptions {

    @Option(names = "--gpus", paramLabel = "LIST",
            description = "GPU indices (0,1,…) or 'all' (default: all visible, else one CPU worker)")
    String gpus;

    @Option(names = "--cpu-workers", paramLabel = "N", description = "number of CPU workers")
    Integer cpuWorkers;

    @Option(names = "--slots-per-device", paramLabel = "K", defaultValue = "1",
            description = "trial processes per device (small models can share a GPU; default ${DEFAULT-VALUE})")
    int slotsPerDevice;

    @Option(names = "--worker-heap", paramLabel = "SIZE",
            description = "max heap of each device process, e.g. 4g (default: the machine's memory / "
                    + "(2 x (processes + 1)), between 512m and 8g)")
    String workerHeap;

    @Option(names = "--simulate", paramLabel = "MIN-MAXms",
            description = "use the simulated trainer with trial durations drawn from MIN..MAX ms, e.g. 50-500 "
                    + "(trying the scheduler, tests, benchmarks)")
    String simulate;

    /**
     * One entry per worker: {@code gpu(i)} or {@code cpu()}. When GPUs are asked for by name, an offline
     * CUDA build without its natives fails here, for the whole node, with the folder and the files it
     * expected — not later in every trial, and not by quietly counting zero GPUs.
     */
    public List<String> devices() {
        List<String> devices = DeviceSelection.select(gpus, cpuWorkers);
        if (gpus != null && simulate == null) {
            GpuNatives.requireFor("gpu(0)");
            DeviceSelection.requireVisible(devices);
        }
        return devices;
    }

    /** One entry per device process: each device {@code --slots-per-device} times, pinned (see {@link DeviceSlot}). */
    public List<DeviceSlot> slots() {
        return DeviceSlot.plan(devices(), slotsPerDevice, Runtime.getRuntime().availableProcessors(),
                System.getenv("CUDA_VISIBLE_DEVICES"));
    }

    public TrialRunnerFactory runners() {
        return TrialRunnerFactory.forSimulateOption(simulate);
    }

    /** {@code MIN-MAX} for the simulated trainer, or null for the real one (checked). */
    public String simulate() {
        if (simulate != null) {
            TrialRunnerFactory.forSimulateOption(simulate); // reports a malformed value before any process starts
        }
        return simulate;
    }

    /** {@code --worker-heap} (checked), or null for the default. */
    public String workerHeap() {
        return workerHeap == null ? null : ChildJvm.checkHeap(workerHeap);
    }
}
