package bitsweep.worker.process;

import bitsweep.cluster.ClusterConfig.HostPort;
import bitsweep.cluster.TlsMaterial;
import bitsweep.worker.DeviceProcessMain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
 * @param tls        the node's TLS material, or null: children get its paths as {@code -Dbitsweep.tls.*} and its
 *                   passwords in their environment (never on their command line)
 */
public record DeviceProcesses(List<HostPort> seeds, HostPort bind, Path scratch, Path logDir, String simulate,
                              String workerHeap, long parentPid, TlsMaterial tls) {
    public static final String MAIN_CLASS = "bitsweep.worker.DeviceProcessMain";
    /**
     * glibc's mmap threshold for the trainers, unless the environment sets one (docs/training.md, "Memory"):
     * tensors of 16 MiB and more are mapped and returned on free, which cut Bayesian Bits VGG-7's peak RSS
     * by ~330 MiB at the same speed; with the dynamic default, freed large tensors pile up in the heap.
     */
    static final String MMAP_THRESHOLD = "MALLOC_MMAP_THRESHOLD_";
    static final String DEFAULT_MMAP_THRESHOLD = "16777216";

    /** One device process as the supervisor starts it. */
    public record ChildSpec(DeviceSlot slot, List<String> command, Map<String, String> env, Path logFile,
                            Path scratch) {
        public String name() {
            return slot.name();
        }

        /** The environment as it may be logged: values of secret variables (passwords) masked. */
        public Map<String, String> loggableEnv() {
            Map<String, String> out = new java.util.TreeMap<>();
            env.forEach((k, v) -> out.put(k, k.toUpperCase(java.util.Locale.ROOT).contains("PASSWORD") ? "***" : v));
            return out;
        }

        @Override
        public String toString() {
            return "ChildSpec[" + label() + ", command=" + command + ", env=" + loggableEnv() + ", log=" + logFile + "]";
        }

        /** How this process is named in logs and in the cluster: {@code worker-3:gpu(3)}. */
        public String label() {
            return slot.name() + ":" + slot.physical();
        }
    }

    public DeviceProcesses {
        seeds = List.copyOf(seeds);
    }

    /** Children without TLS material of their own (plain TCP, or TLS from a {@code bitsweep.config} file). */
    public DeviceProcesses(List<HostPort> seeds, HostPort bind, Path scratch, Path logDir, String simulate,
                           String workerHeap, long parentPid) {
        this(seeds, bind, scratch, logDir, simulate, workerHeap, parentPid, null);
    }

    /** The same children, speaking TLS with {@code tls} (null: as configured). */
    public DeviceProcesses withTls(TlsMaterial tls) {
        return new DeviceProcesses(seeds, bind, scratch, logDir, simulate, workerHeap, parentPid, tls);
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
            Map<String, String> env = new HashMap<>(slot.env());
            if (System.getenv(MMAP_THRESHOLD) == null) {
                env.put(MMAP_THRESHOLD, DEFAULT_MMAP_THRESHOLD); // a worker started without the launcher
            }
            Map<String, String> properties = Map.of();
            if (tls != null) {
                env.putAll(tls.childEnv());
                properties = tls.childProperties();
            }
            out.add(new ChildSpec(slot, jvm.command(heap, slot, properties, MAIN_CLASS, args), Map.copyOf(env),
                    logDir.resolve(slot.name() + ".log").toAbsolutePath(), dir));
        }
        return out;
    }
}
