package bitsweep.worker.process;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * What a device process's JVM inherits from its node's JVM: the same {@code java} binary and class
 * path, and an explicit selection of the node's JVM options.
 *
 * <p>Passed through: {@code -D} options given on the node's command line and the node's current
 * {@code pekko.*}, {@code bitsweep.*}, {@code ai.djl.*}, {@code logback.*} system properties (set on its
 * command line or programmatically, e.g. by a test); {@code -XX:} options except flight recordings and
 * {@code TieredStopAtLevel} (the launcher runs a node on the C1 compiler only, which suits message handling;
 * a trainer keeps the JVM's default, see docs/cluster.md "Scale"); {@code -Xss}; assertions. Not passed
 * through: {@code -Xmx}/{@code -Xms} (each child gets {@code --worker-heap}), agents (a debugger's port
 * would clash), {@code -Xlog} (file clashes), and the per-node cluster settings (bind address, seed nodes,
 * roles) a child gets from its own arguments, and any property whose name contains "password": a command
 * line is readable by every user of the machine ({@code ps}); TLS passwords reach a child through its
 * environment ({@code TlsMaterial#childEnv}).
 *
 * @param java         the java executable
 * @param inputArgs    the node JVM's options ({@code RuntimeMXBean.getInputArguments()})
 * @param properties   the node JVM's system properties
 * @param classPath    the node's class path (the shaded jar, or a test class path)
 * @param memoryBytes  the machine's physical memory, for the default heap
 */
public record ChildJvm(String java, List<String> inputArgs, Map<String, String> properties, String classPath,
                       long memoryBytes) {
    private static final List<String> PROPERTY_PREFIXES = List.of("pekko.", "bitsweep.", "ai.djl.", "logback.");
    /** Per-node settings: a child gets its own from its arguments. */
    private static final List<String> NODE_ONLY = List.of("pekko.remote.artery.canonical.", "pekko.remote.artery.bind.",
            "pekko.cluster.seed-nodes", "pekko.cluster.roles", DeviceSlot.DJL_NUM_THREADS,
            DeviceSlot.DJL_NUM_INTEROP_THREADS);
    private static final Pattern HEAP = Pattern.compile("\\d+[kKmMgG]?");
    private static final long MIB = 1024L * 1024;

    public ChildJvm {
        inputArgs = List.copyOf(inputArgs);
        properties = Map.copyOf(properties);
    }

    /** This JVM. */
    public static ChildJvm current() {
        Map<String, String> props = new LinkedHashMap<>();
        Properties p = System.getProperties();
        for (String k : p.stringPropertyNames()) {
            props.put(k, p.getProperty(k));
        }
        long memory = 0;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = os.getTotalMemorySize();
        }
        String cp = System.getProperty("java.class.path").replace(";", File.pathSeparator);
        return new ChildJvm(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                ManagementFactory.getRuntimeMXBean().getInputArguments(), props, cp, memory);
    }

    /**
     * Default heap of one device process: half the machine's memory shared by the node and its
     * children, between 512 MiB and 8 GiB ({@code clamp(memory / (2 × (children + 1)))}). Tensors live in
     * native memory, so the heap holds little more than the data set and the actor system.
     */
    public static String defaultHeap(long memoryBytes, int children) {
        long mib = memoryBytes <= 0 ? 2048 : memoryBytes / MIB / (2L * (children + 1));
        mib = Math.max(512, Math.min(8192, mib));
        return mib % 1024 == 0 ? (mib / 1024) + "g" : mib + "m";
    }

    /** Validates a {@code --worker-heap} value: {@code 4g}, {@code 1536m}. */
    public static String checkHeap(String heap) {
        if (heap == null || !HEAP.matcher(heap.trim()).matches()) {
            throw new IllegalArgumentException("--worker-heap: expected a size like 4g or 1536m, got '" + heap + "'");
        }
        return heap.trim();
    }

    /** The child's JVM options: its heap, the passed-through options, then the slot's own properties. */
    public List<String> options(String heap, DeviceSlot slot) {
        List<String> out = new ArrayList<>();
        out.add("-Xmx" + heap);
        Map<String, String> given = new LinkedHashMap<>();
        for (String a : inputArgs) {
            if (a.startsWith("-D")) {
                int eq = a.indexOf('=');
                String key = eq < 0 ? a.substring(2) : a.substring(2, eq);
                if (passes(key)) {
                    given.put(key, eq < 0 ? "" : a.substring(eq + 1));
                }
            } else if (a.startsWith("-XX:") && !a.contains("FlightRecord") && !a.startsWith("-XX:TieredStopAtLevel")
                    || a.startsWith("-Xss")
                    || a.equals("-ea") || a.equals("-enableassertions") || a.equals("-esa") || a.equals("-da")) {
                out.add(a);
            }
        }
        new java.util.TreeMap<>(properties).forEach((k, v) -> {
            if (!given.containsKey(k) && passes(k) && PROPERTY_PREFIXES.stream().anyMatch(k::startsWith)) {
                given.put(k, v);
            }
        });
        given.forEach((k, v) -> out.add("-D" + k + "=" + v));
        slot.properties().forEach((k, v) -> out.add("-D" + k + "=" + v));
        return out;
    }

    private static boolean passes(String key) {
        return NODE_ONLY.stream().noneMatch(key::startsWith)
                && !key.toLowerCase(Locale.ROOT).contains("password");
    }

    /** The full command line: {@code java <options> -cp <class path> <main> <args>}. */
    public List<String> command(String heap, DeviceSlot slot, String mainClass, List<String> args) {
        return command(heap, slot, Map.of(), mainClass, args);
    }

    /**
     * As {@link #command(String, DeviceSlot, String, List)}, with {@code properties} added after the inherited
     * ones (so they win): the node's own settings for its children, e.g. its TLS files.
     */
    public List<String> command(String heap, DeviceSlot slot, Map<String, String> properties, String mainClass,
                                List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(options(heap, slot));
        new java.util.TreeMap<>(properties).forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }
}
