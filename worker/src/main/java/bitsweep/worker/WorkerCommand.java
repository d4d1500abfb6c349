package bitsweep.worker;

import bitsweep.cli.Subcommand;
import bitsweep.protocol.ClusterConfig.HostPort;
import bitsweep.security.NodeSecurity;
import bitsweep.security.TlsOptions;
import bitsweep.worker.process.ChildJvm;
import bitsweep.worker.process.DeviceProcessSupervisor;
import bitsweep.worker.process.DeviceProcesses;
import bitsweep.worker.process.DeviceSlot;
import bitsweep.worker.sim.SimulatedTrialRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bitsweep worker --join HOST:PORT}: a worker node. This JVM only supervises: it starts one device
 * process (a worker JVM of role {@code worker}, {@code DeviceProcessMain}) per device slot, restarts
 * one that crashes, and stops them when it is stopped (SIGTERM is forwarded). One JVM per device is
 * required by DJL's PyTorch engine, which allows one gradient collector per process (issue 8).
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Join a BitSweep cluster as a worker node (role 'worker'): one worker process per GPU "
                + "(--gpus) or CPU slot (--cpu-workers), supervised by this process. Runs until stopped (Ctrl-C).")
public final class WorkerCommand implements Callable<Integer>, Subcommand {

    @Option(names = "--join", required = true, split = ",", paramLabel = "HOST:PORT",
            description = "seed node(s), usually the orchestrator's --bind address")
    List<String> join;

    @Option(names = "--bind", defaultValue = "127.0.0.1:0", paramLabel = "HOST:PORT",
            description = "the device processes' address as other nodes reach them (port 0: any free port; "
                    + "PORT: process i binds PORT+i; default ${DEFAULT-VALUE})")
    String bind;

    @Mixin
    DeviceOptions deviceOptions;

    @Mixin
    TlsOptions tlsOptions;

    @Option(names = "--scratch", paramLabel = "DIR", description = "this node's working directory (default: a temporary directory)")
    Path scratch;

    @Option(names = "--log-dir", paramLabel = "DIR", description = "one log file per device process, worker-<i>.log "
            + "(default: <scratch>/logs)")
    Path logDir;

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
        List<HostPort> addresses = new ArrayList<>(seeds);
        addresses.add(self);
        NodeSecurity security = tlsOptions.resolve("worker", addresses, System.getenv());
        security.announce("worker node");
        List<DeviceSlot> slots = deviceOptions.slots();
        Path dir = scratch != null ? scratch : Files.createTempDirectory("bitsweep-worker");
        DeviceProcesses processes = new DeviceProcesses(seeds, self, dir, logDir != null ? logDir : dir.resolve("logs"),
                deviceOptions.simulate(), deviceOptions.workerHeap(), ProcessHandle.current().pid())
                .withTls(security.tls());
        DeviceProcessSupervisor supervisor = DeviceProcessSupervisor.start(processes.children(slots, ChildJvm.current()))
                .installShutdownHook();
        // Runs until the JVM is stopped: the shutdown hook stops the device processes (SIGTERM, then
        // SIGKILL after the grace period); if this process is SIGKILLed they notice and exit by themselves.
        new CountDownLatch(1).await();
        supervisor.close();
        return 0;
    }

    /**
     * The real trainer, or the simulated one for {@code --simulate MIN-MAX}. Failure drills with the
     * simulated trainer: {@code -Dbitsweep.simulate.fail=ID,…} (every attempt of those trials fails) and
     * {@code -Dbitsweep.simulate.stuck=ID,…} (their first attempt blocks forever, ignoring cancellation).
     */
    public static TrialRunnerFactory runners(String simulate) {
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
