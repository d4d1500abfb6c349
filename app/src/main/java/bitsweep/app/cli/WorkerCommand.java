package bitsweep.app.cli;

import bitsweep.cluster.ClusterConfig.HostPort;
import bitsweep.cluster.NodeSecurity;
import bitsweep.cluster.TlsOptions;
import bitsweep.worker.DeviceOptions;
import bitsweep.worker.DeviceProcessMain;
import bitsweep.worker.process.ChildJvm;
import bitsweep.worker.process.DeviceProcessSupervisor;
import bitsweep.worker.process.DeviceProcesses;
import bitsweep.worker.process.DeviceSlot;
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
public final class WorkerCommand implements Callable<Integer> {

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
}
