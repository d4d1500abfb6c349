package bitsweep.worker;

import bitsweep.cluster.ClusterConfig.HostPort;
import bitsweep.worker.AssignmentLatency;
import bitsweep.worker.WorkerNode;
import bitsweep.worker.process.DeviceProcessSupervisor;
import bitsweep.worker.process.DeviceSlot;
import bitsweep.worker.process.ExitStatus;
import ch.qos.logback.classic.LoggerContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * Main class of a device process: a worker JVM with exactly one {@code DeviceWorker} on one device,
 * started and supervised by its node ({@link DeviceProcessSupervisor}; {@code bitsweep run} or
 * {@code bitsweep worker}). DJL's PyTorch engine allows one gradient collector per process, so each
 * device that trains concurrently needs its own JVM (issue 8).
 *
 * <p>It shuts down when its node's process is gone (even after {@code kill -9} of the node): coordinated
 * shutdown via {@code System.exit}, and a halt {@value #PARENT_GONE_HALT_SECONDS} s later if that hangs.
 */
@Command(name = "device-process", description = "One device worker in its own JVM (started by a BitSweep node).")
public final class DeviceProcessMain implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(DeviceProcessMain.class);
    static final int PARENT_GONE_HALT_SECONDS = 5;
    private static volatile boolean deviceProcess;

    @Option(names = "--seeds", required = true, split = ",") List<String> seeds;
    @Option(names = "--bind", required = true) String bind;
    @Option(names = "--device", required = true) String device;
    @Option(names = "--name", required = true) String name;
    @Option(names = "--scratch", required = true) Path scratch;
    @Option(names = "--parent-pid", required = true) long parentPid;
    @Option(names = "--simulate") String simulate;

    public static void main(String[] args) {
        int code = new CommandLine(new DeviceProcessMain()).execute(args);
        System.exit(code);
    }

    @Override
    public Integer call() throws Exception {
        deviceProcess = true;
        log.info("device process {} (pid {}): device {}, node pid {}, CUDA_VISIBLE_DEVICES={}, OMP_NUM_THREADS={}, "
                        + "{}={}, {}={}, max heap {} MiB, trainer {}", name, ProcessHandle.current().pid(), device,
                parentPid, System.getenv("CUDA_VISIBLE_DEVICES"), System.getenv("OMP_NUM_THREADS"),
                DeviceSlot.DJL_NUM_THREADS, System.getProperty(DeviceSlot.DJL_NUM_THREADS),
                DeviceSlot.DJL_NUM_INTEROP_THREADS, System.getProperty(DeviceSlot.DJL_NUM_INTEROP_THREADS),
                Runtime.getRuntime().maxMemory() >> 20, simulate == null ? "DJL" : "simulated " + simulate);
        watchParent(parentPid);
        WorkerNode node = WorkerNode.start(new WorkerNode.Options(seeds.stream().map(HostPort::parse).toList(),
                HostPort.parse(bind), List.of(device), TrialRunnerFactory.forSimulateOption(simulate), scratch,
                AssignmentLatency.none(), name, DeviceProcessMain::haltHungProcess)); // a hung trainer or termination ends it
        node.stopped().get();
        return 0;
    }

    /** Exits when the node's process is gone: a device process never outlives its node. */
    static void watchParent(long pid) {
        Optional<ProcessHandle> parent = ProcessHandle.of(pid);
        if (parent.isEmpty()) {
            parentGone(pid);
            return;
        }
        parent.get().onExit().thenRun(() -> parentGone(pid));
    }

    private static void parentGone(long pid) {
        log.warn("node process {} exited: shutting down this device process", pid);
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(PARENT_GONE_HALT_SECONDS * 1000L);
            } catch (InterruptedException e) {
                // halt now
            }
            System.err.println("device process: coordinated shutdown did not finish in "
                    + PARENT_GONE_HALT_SECONDS + " s after the node exited; halting");
            Runtime.getRuntime().halt(1);
        }, "parent-gone-halt");
        halt.setDaemon(true);
        halt.start();
        new Thread(() -> System.exit(0), "parent-gone-exit").start(); // runs Pekko's coordinated shutdown
    }

    /** True in a JVM started as a device process, where {@link #haltHungProcess} may be used. */
    public static boolean isDeviceProcess() {
        return deviceProcess;
    }

    public static void markDeviceProcess() {
        deviceProcess = true;
    }

    /**
     * For the device worker: a trial's training thread hung past its grace period (stuck in native code,
     * where nothing can interrupt it); for the worker node: its actor system did not finish terminating after
     * the cluster downed it (see {@code WorkerNode}). Logs the reason, flushes the logs and halts this JVM with
     * exit code {@link ExitStatus#HUNG_TRIAL} (75) without running shutdown hooks; the node's supervisor logs
     * "restarted after it hung" and starts a fresh process after its backoff, and the orchestrator
     * re-queues the trial (it resumes from its last checkpoint).
     *
     * @throws IllegalStateException in a JVM that is not a device process (local in-process mode, tests):
     *                               halting there would take the orchestrator or the test down with it
     */
    public static void haltHungProcess(String reason) {
        if (!deviceProcess) {
            throw new IllegalStateException("not a device process, refusing to halt this JVM: " + reason);
        }
        log.error("halting this device process (exit code {}): {}", ExitStatus.HUNG_TRIAL, reason);
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop(); // flushes and closes every appender
        }
        System.out.flush();
        System.err.println("device process halted (exit code " + ExitStatus.HUNG_TRIAL + "): " + reason);
        System.err.flush();
        Runtime.getRuntime().halt(ExitStatus.HUNG_TRIAL);
    }
}
