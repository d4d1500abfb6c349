package bitsweep.app.local;

import bitsweep.app.cli.StatusCommand;
import bitsweep.cluster.ClusterConfig.HostPort;
import bitsweep.cluster.NodeSecurity;
import bitsweep.cluster.TlsOptions;
import bitsweep.orchestrator.node.SweepRunOptions;
import bitsweep.orchestrator.report.SweepCompletion;
import bitsweep.orchestrator.report.SweepCompletionHook;
import bitsweep.sweep.Sweep;
import bitsweep.sweep.TrialStatus;
import bitsweep.worker.DeviceOptions;
import bitsweep.worker.process.DeviceProcessSupervisor;
import bitsweep.worker.process.DeviceSlot;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code bitsweep run SWEEP.yaml}: a whole sweep on this machine — the supervisor in this JVM and one
 * device process per device slot ({@link LocalRun#runWithDeviceProcesses}), whatever the trainer.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a sweep locally: the supervisor in this process and one worker process per local "
                + "device slot. Re-running on an existing results folder resumes it (completed trials are kept).")
public final class RunCommand implements Callable<Integer> {

    @Mixin
    SweepRunOptions options;

    @Mixin
    DeviceOptions deviceOptions;

    /** Local mode binds loopback only, so it stays plain TCP unless TLS material is given. */
    @Mixin
    TlsOptions tlsOptions;

    /** Tests reach the device processes through this (e.g. to kill one); the CLI leaves it a no-op. */
    Consumer<DeviceProcessSupervisor> onDeviceProcessesStarted = s -> { };

    @Override
    public Integer call() throws Exception {
        NodeSecurity security = tlsOptions.resolve("run", List.of(new HostPort("127.0.0.1", 0)), System.getenv());
        Sweep sweep = options.sweep();
        List<DeviceSlot> slots = deviceOptions.slots();
        String simulate = deviceOptions.simulate();
        String heap = deviceOptions.workerHeap();
        Path resultsDir = options.resultsDir(sweep);
        var api = options.api();
        long start = System.nanoTime();
        SweepCompletion done = LocalRun.runWithDeviceProcesses(sweep, resultsDir, options.fresh(),
                options.journalStore(resultsDir), slots, simulate, heap, options.statusInterval(),
                SweepCompletionHook.discovered(), onDeviceProcessesStarted, security, api);
        System.out.print(StatusCommand.render(done.trials(), sweep.metric()));
        System.out.printf("wall time %.1f s; results in %s%n", (System.nanoTime() - start) / 1e9, resultsDir);
        return done.count(TrialStatus.FAILED) == 0 ? 0 : 1;
    }
}
