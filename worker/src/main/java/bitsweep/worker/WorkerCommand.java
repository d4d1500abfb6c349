package bitsweep.worker;

import bitsweep.cli.Subcommand;
import bitsweep.protocol.ClusterConfig.HostPort;
import bitsweep.worker.sim.SimulatedTrialRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bitsweep worker --join HOST:PORT}: a worker node with one worker per device. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Join a BitSweep cluster as a worker node (role 'worker'): one worker per GPU "
                + "(--gpus) or CPU slot (--cpu-workers). Runs until stopped (Ctrl-C).")
public final class WorkerCommand implements Callable<Integer>, Subcommand {

    @Option(names = "--join", required = true, split = ",", paramLabel = "HOST:PORT",
            description = "seed node(s), usually the orchestrator's --bind address")
    List<String> join;

    @Option(names = "--bind", defaultValue = "127.0.0.1:0", paramLabel = "HOST:PORT",
            description = "this node's address as other nodes reach it (port 0: any free port; default ${DEFAULT-VALUE})")
    String bind;

    @Mixin
    DeviceOptions deviceOptions;

    @Option(names = "--scratch", paramLabel = "DIR", description = "this node's working directory (default: a temporary directory)")
    Path scratch;

    @Override
    public Integer call() throws Exception {
        try {
            return execute();
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("bitsweep worker: " + e.getMessage());
            return 2;
        }
    }

    private Integer execute() throws Exception {
        List<HostPort> seeds = join.stream().map(HostPort::parse).toList();
        HostPort self = HostPort.parse(bind);
        TrialRunnerFactory runners = deviceOptions.runners();
        List<String> devices = deviceOptions.devices();
        Path dir = scratch != null ? scratch : Files.createTempDirectory("bitsweep-worker");
        WorkerNode node = WorkerNode.start(new WorkerNode.Options(seeds, self, devices, runners, dir,
                AssignmentLatency.none()));
        node.stopped().get();
        return 0;
    }

    /** The real trainer, or the simulated one for {@code --simulate MIN-MAX}. */
    public static TrialRunnerFactory runners(String simulate) {
        if (simulate == null) {
            return TrialRunnerFactory.byClassName(TrialRunnerFactory.DJL_RUNNER);
        }
        String[] parts = simulate.replace("ms", "").split("-");
        try {
            long min = Long.parseLong(parts[0].trim());
            long max = parts.length > 1 ? Long.parseLong(parts[1].trim()) : min;
            SimulatedTrialRunner.Settings s = SimulatedTrialRunner.Settings.durations(min, max);
            return device -> new SimulatedTrialRunner(s);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("--simulate: expected MIN-MAX in milliseconds, e.g. 50-500, got '"
                    + simulate + "'");
        }
    }
}
