package bitsweep.worker.process;

import bitsweep.protocol.ClusterConfig.HostPort;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How a node ({@code bitsweep run} or {@code bitsweep worker}) launches its device processes: one
 * worker JVM per device slot, each a cluster member of role {@code worker} running exactly one
 * {@code DeviceWorker} ({@link DeviceProcessMain}).
 *
 * @param seeds      the cluster's seed nodes the children join
 * @param bind       the children's address: the host as given; port 0 = any free port, else child i binds port + i
 * @param scratch    the node's scratch folder; child i trains in {@code <scratch>/worker-<i>}
 * @param logDir     child i writes {@code <logDir>/worker-<i>.log}
 * @param simulate   {@code MIN-MAX} for the simulated trainer, or null for the real one
 * @param workerHeap each child's {@code -Xmx}, or null for {@link ChildJvm#defaultHeap}
 * @param parentPid  the node's pid: a child shuts down when this process is gone
 */
public record DeviceProcesses(List<HostPort> seeds, HostPort bind, Path scratch, Path logDir, String simulate,
                              String workerHeap, long parentPid) {
    public static final String MAIN_CLASS = "bitsweep.worker.process.DeviceProcessMain";

    /** One device process as the supervisor starts it. */
    public record ChildSpec(DeviceSlot slot, List<String> command, Map<String, String> env, Path logFile,
                            Path scratch) {
        public String name() {
            return slot.name();
        }

        /** How this process is named in logs and in the cluster: {@code worker-3:gpu(3)}. */
        public String label() {
            return slot.name() + ":" + slot.physical();
        }
    }

    public DeviceProcesses {
        seeds = List.copyOf(seeds);
    }

    /** The command line, environment, log file and scratch folder of every slot. */
    public List<ChildSpec> children(List<DeviceSlot> slots, ChildJvm jvm) {
        String heap = workerHeap != null ? ChildJvm.checkHeap(workerHeap) : ChildJvm.defaultHeap(jvm.memoryBytes(),
                slots.size());
        List<ChildSpec> out = new ArrayList<>();
        for (DeviceSlot slot : slots) {
            Path dir = scratch.resolve(slot.name()).toAbsolutePath();
            int port = bind.port() == 0 ? 0 : bind.port() + slot.index();
            List<String> args = new ArrayList<>(List.of(
                    "--seeds", seeds.stream().map(HostPort::toString).collect(Collectors.joining(",")),
                    "--bind", new HostPort(bind.host(), port).toString(),
                    "--device", slot.device(),
                    "--name", slot.name() + ":" + slot.physical(),
                    "--scratch", dir.toString(),
                    "--parent-pid", Long.toString(parentPid)));
            if (simulate != null) {
                args.add("--simulate");
                args.add(simulate);
            }
            out.add(new ChildSpec(slot, jvm.command(heap, slot, MAIN_CLASS, args), slot.env(),
                    logDir.resolve(slot.name() + ".log").toAbsolutePath(), dir));
        }
        return out;
    }
}
