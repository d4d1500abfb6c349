package bitsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers' JIT choice: coordinating commands on C1 only, trainers on the JVM default, and
 * {@code BITSWEEP_JIT_OPTS} over both. Runs the image's entry point (it builds nothing) with a {@code java}
 * on the PATH that prints its arguments; the repository's {@code ./bitsweep} must hold the same rule.
 */
class LauncherJitTest {
    private static final Path ROOT = Path.of(System.getProperty("bitsweep.repoRoot", "..")).toAbsolutePath()
            .normalize();
    private static final Path IMAGE_LAUNCHER = ROOT.resolve("deploy/image/root/usr/local/bin/bitsweep");
    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

    @TempDir
    Path bin;

    private String javaArgs(String command, Map<String, String> env) throws Exception {
        Path fake = bin.resolve("java");
        Files.writeString(fake, "#!/bin/sh\necho \"$@\"\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder pb = new ProcessBuilder("sh", IMAGE_LAUNCHER.toString(), command, "--help")
                .redirectErrorStream(true);
        pb.environment().remove("BITSWEEP_JIT_OPTS");
        pb.environment().remove("BITSWEEP_JAVA_OPTS");
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void coordinatingCommandsRunOnC1OnlyAndTrainersOnTheJvmDefault() throws Exception {
        for (String command : List.of("orchestrator", "worker", "run", "bench-scheduler", "status")) {
            assertTrue(List.of(javaArgs(command, Map.of()).split(" ")).contains(C1_ONLY), command);
        }
        for (String command : List.of("train", "bench")) {
            String args = javaArgs(command, Map.of());
            assertFalse(args.contains("TieredStopAtLevel"), command + ": " + args);
        }
    }

    @Test
    void bitsweepJitOptsReplacesTheDefaultAndEmptyMeansTheJvmDefault() throws Exception {
        String empty = javaArgs("orchestrator", Map.of("BITSWEEP_JIT_OPTS", ""));
        assertFalse(empty.contains("TieredStopAtLevel"), empty);
        String own = javaArgs("train", Map.of("BITSWEEP_JIT_OPTS", "-XX:TieredStopAtLevel=3"));
        assertTrue(own.contains("-XX:TieredStopAtLevel=3"), own);
    }

    @Test
    void theRepositoryLauncherHoldsTheSameRuleAsTheImagesEntryPoint() throws IOException {
        assertEquals(jitRule(IMAGE_LAUNCHER), jitRule(ROOT.resolve("bitsweep")));
    }

    /** The launcher's lines from its command switch to the resulting options. */
    private static List<String> jitRule(Path launcher) throws IOException {
        List<String> lines = Files.readAllLines(launcher);
        int from = lines.indexOf("case \"${1:-}\" in");
        int to = lines.indexOf("jit_opts=\"${BITSWEEP_JIT_OPTS-$jit_default}\"");
        assertTrue(from >= 0 && to > from, launcher + " has no JIT rule");
        return lines.subList(from, to + 1);
    }
}
