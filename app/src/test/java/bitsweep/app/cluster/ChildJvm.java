package bitsweep.app.cluster;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A child JVM on this machine running {@link ClusterTestNode} (or another main) with the test class path. */
final class ChildJvm implements AutoCloseable {
    /** Failure detection and downing tuned down from production values so tests finish in seconds. */
    static final List<String> FAST_CLUSTER = List.of(
            "-Dpekko.cluster.failure-detector.heartbeat-interval=300ms",
            "-Dpekko.cluster.failure-detector.acceptable-heartbeat-pause=1500ms",
            "-Dpekko.cluster.split-brain-resolver.stable-after=2s",
            "-Dpekko.cluster.unreachable-nodes-reaper-interval=250ms",
            "-Dpekko.cluster.gossip-interval=200ms",
            "-Dpekko.remote.artery.advanced.stop-quarantined-after-idle=2s");

    final Process process;
    final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ChildJvm start(Path log, String mainClass, List<String> jvmArgs, String... args) throws IOException {
        return start(log, Map.of(), mainClass, jvmArgs, args);
    }

    /** With {@code env} added to this JVM's environment (e.g. the journal database's user and password). */
    static ChildJvm start(Path log, Map<String, String> env, String mainClass, List<String> jvmArgs, String... args)
            throws IOException {
        return start(List.of(), log, env, mainClass, jvmArgs, args);
    }

    /**
     * With {@code prefix} before the java command, e.g. {@code ip netns exec NS}: it must exec java in place
     * (as {@code ip netns exec} does), so that {@link #process} is the JVM and {@link #kill} ends it.
     */
    static ChildJvm start(List<String> prefix, Path log, Map<String, String> env, String mainClass,
                          List<String> jvmArgs, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1"); // these JVMs are short-lived: start fast
        cmd.add("-Dai.djl.offline=true");
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        return new ChildJvm(p, log);
    }

    /** Surefire may run tests from a manifest-only jar; its Class-Path works for children too. */
    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path").replace(";", File.pathSeparator);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
