package bitsweep.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline procedure end to end, with the CPU flavor (the only one this machine can load): stage it
 * from the bundled jar, then start a JVM that has no bundled natives — like the CUDA build — with DJL
 * offline and pointed at the staged folder, and compute with PyTorch.
 */
@Tag("slow") // in `mvn verify`, not the fast `mvn test` loop (docs/testing.md)
class StagedNativesOfflineLoadTest {

    @Test
    void jvmWithoutBundledNativesLoadsPyTorchOfflineFromTheStagedFolder(@TempDir Path tmp) throws Exception {
        assumeTrue(NativesLayout.bundledNatives() != null, "stages the CPU flavor from the default build's jar");
        Path staged = tmp.resolve("staged");
        NativesReport r = new NativesStager().stage(staged, "cpu");
        assertTrue(r.complete(), r.missing().toString());

        Result run = probe(staged, tmp.resolve("empty-djl-cache"));
        assertEquals(0, run.exit, run.output);
        assertTrue(run.output.contains("sum=45.0"), run.output);
        assertTrue(run.output.contains("libtorch=" + r.dir()), run.output);
    }

    @Test
    void sameJvmWithAnEmptyFolderCannotLoadPyTorchOffline(@TempDir Path tmp) throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Result run = probe(empty, tmp.resolve("empty-djl-cache"));
        assertNotEquals(0, run.exit, run.output);
        assertTrue(run.output.contains("Offline mode is enabled"), run.output);
        assertFalse(run.output.contains("sum="), run.output);
    }

    private record Result(int exit, String output) {
    }

    private static Result probe(Path engineCache, Path djlCache) throws IOException, InterruptedException {
        String testClassPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String classPath = Arrays.stream(testClassPath.split(File.pathSeparator))
                .filter(e -> !e.contains("pytorch-native-cpu"))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", classPath, "-Dai.djl.offline=true", "-DENGINE_CACHE_DIR=" + engineCache,
                "-DDJL_CACHE_DIR=" + djlCache, OfflineLoadProbe.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        NativesStager.OVERRIDING_ENV.forEach(env::remove);
        env.remove("DJL_CACHE_DIR");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe JVM did not finish");
        return new Result(p.exitValue(), out);
    }
}
