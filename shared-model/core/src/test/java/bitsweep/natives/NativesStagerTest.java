package bitsweep.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativesStagerTest {
    private static final NativesLayout L = NativesLayout.current();

    /** What DJL's download leaves in the engine cache: libraries and the index, not yet the JNI. */
    private static void djlDownload(Path root, String flavor) throws IOException {
        Path dir = L.flavorDir(root, flavor);
        Files.createDirectories(dir);
        for (String f : List.of("libtorch.so", "libtorch_cpu.so", "libc10.so", "libtorch_cuda.so", "libc10_cuda.so",
                "libcudart-abc123.so.12")) {
            Files.createFile(dir.resolve(f));
        }
        Files.writeString(L.indexFile(root), "cu128/linux-x86_64/native/lib/libtorch.so.gz\n");
    }

    @Test
    void layoutMatchesTheDjlOnTheClassPath() {
        assertEquals(new NativesLayout("2.7.1", "0.36.0", "linux-x86_64"), L);
        assertEquals(List.of("cpu", "cu128"), L.loadableFlavors());
    }

    @Test
    void cudaStagingInTheCudaBuildLetsDjlDownloadThenAddsTheJniFromTheJar(@TempDir Path root) throws Exception {
        NativesStager stager = new NativesStager(L, NativesStagerTest::djlDownload, Map.of(), null);
        NativesReport r = stager.stage(root, "cu128");
        assertTrue(r.complete(), r.missing().toString());
        Path jni = r.dir().resolve("0.36.0-libdjl_torch.so");
        assertTrue(Files.size(jni) > 1_000_000, "the real cu128 JNI library from pytorch-jni");
        assertTrue(r.present().contains("libcudart-abc123.so.12"));
    }

    @Test
    void downloadThatLeavesNoLibtorchIsAnErrorListingWhatIsMissing(@TempDir Path root) {
        NativesStager stager = new NativesStager(L, (dir, flavor) -> { }, Map.of(), null);
        IOException e = assertThrows(IOException.class, () -> stager.stage(root, "cu128"));
        assertTrue(e.getMessage().contains("libtorch.so"), e.getMessage());
    }

    @Test
    void flavorWithoutJniInThisDjlIsRefusedNamingTheLoadableOnes(@TempDir Path root) {
        NativesStager stager = new NativesStager(L, NativesStagerTest::djlDownload, Map.of(), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> stager.stage(root, "cu124"));
        assertTrue(e.getMessage().contains("has JNI libraries for cpu, cu128"), e.getMessage());
    }

    @Test
    void cudaStagingInTheDefaultBuildIsRefusedBecauseDjlWouldNeverDownload(@TempDir Path root) {
        Properties bundled = new Properties();
        bundled.setProperty("flavor", "cpu");
        NativesStager stager = new NativesStager(L, NativesStagerTest::djlDownload, Map.of(), bundled);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> stager.stage(root, "cu128"));
        assertTrue(e.getMessage().contains("needs the CUDA build (mvn -Dcuda package)"), e.getMessage());
    }

    @Test
    void environmentThatWouldOverrideTheStagingFolderIsRefused(@TempDir Path root) {
        NativesStager stager = new NativesStager(L, NativesStagerTest::djlDownload,
                Map.of("ENGINE_CACHE_DIR", "/elsewhere"), null);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> stager.stage(root, "cu128"));
        assertTrue(e.getMessage().contains("ENGINE_CACHE_DIR=/elsewhere"), e.getMessage());
    }
}
