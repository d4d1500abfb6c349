package bitsweep.app.local;

import bitsweep.cli.Subcommand;
import bitsweep.orchestrator.node.StatusCommand;
import bitsweep.orchestrator.node.SweepRunOptions;
import bitsweep.orchestrator.supervisor.SweepCompletion;
import bitsweep.orchestrator.supervisor.SweepCompletionHook;
import bitsweep.sweep.Sweep;
import bitsweep.sweep.SweepFileException;
import bitsweep.worker.DeviceOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bitsweep run SWEEP.yaml}: a whole sweep in this JVM (supervisor + one worker per local device). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a sweep locally: supervisor and one worker per local device in one JVM. "
                + "Re-running on an existing results folder resumes it (completed trials are kept).")
public final class RunCommand implements Callable<Integer>, Subcommand {

    @Mixin
    SweepRunOptions options;

    @Mixin
    DeviceOptions deviceOptions;

    @Override
    public Integer call() throws Exception {
        try {
            return execute();
        } catch (SweepFileException e) {
            System.err.println(e.getMessage()); // already names file:line:column
            return 2;
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("bitsweep run: " + e.getMessage());
            return 2;
        }
    }

    private Integer execute() throws Exception {
        Sweep sweep = options.sweep();
        List<String> devices = deviceOptions.devices();
        Path resultsDir = options.resultsDir(sweep);
        long start = System.nanoTime();
        SweepCompletion done = LocalRun.run(sweep, resultsDir, options.fresh(), devices,
                deviceOptions.runners(), options.statusInterval(), SweepCompletionHook.discovered());
        System.out.print(StatusCommand.render(done.trials()));
        System.out.printf("wall time %.1f s; results in %s%n", (System.nanoTime() - start) / 1e9, resultsDir);
        return done.count("failed") == 0 ? 0 : 1;
    }
}
