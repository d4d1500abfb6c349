package bitsweep.natives;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpuNativesTest {
    private static final NativesLayout L = StagedFolders.LAYOUT;

    private static GpuNatives cudaBuild(Path cache, boolean offline, Map<String, String> settings) {
        return new GpuNatives(L, settings::get, false, cache, offline);
    }

    @Test
    void offlineCudaBuildWithoutNativesFailsWithTheStagingError(@TempDir Path cache) {
        GpuNatives.MissingNativesException e = assertThrows(GpuNatives.MissingNativesException.class,
                () -> cudaBuild(cache, true, Map.of()).check());
        assertTrue(e.getMessage().contains("missing in " + cache.toAbsolutePath()), e.getMessage());
        assertTrue(e.getMessage().contains("pytorch/2.7.1-cu128-linux-x86_64/libtorch_cuda.so"), e.getMessage());
    }

    @Test
    void offlineCudaBuildWithStagedNativesPasses(@TempDir Path cache) throws Exception {
        StagedFolders.complete(cache, "cu128");
        assertDoesNotThrow(() -> cudaBuild(cache, true, Map.of()).check());
    }

    @Test
    void incompleteStagedFlavorIsReportedWithItsMissingFiles(@TempDir Path cache) throws Exception {
        java.nio.file.Files.delete(StagedFolders.complete(cache, "cu128").resolve("libc10_cuda.so"));
        GpuNatives.MissingNativesException e = assertThrows(GpuNatives.MissingNativesException.class,
                () -> cudaBuild(cache, true, Map.of()).check());
        assertTrue(e.getMessage().contains("missing:  pytorch/2.7.1-cu128-linux-x86_64/libc10_cuda.so\n"), e.getMessage());
    }

    @Test
    void pinnedFlavorIsTheOneChecked(@TempDir Path cache) throws Exception {
        StagedFolders.complete(cache, "cu128");
        GpuNatives.MissingNativesException e = assertThrows(GpuNatives.MissingNativesException.class,
                () -> cudaBuild(cache, true, Map.of("PYTORCH_FLAVOR", "cu126")).check());
        assertTrue(e.getMessage().contains("flavor cu126"), e.getMessage());
    }

    @Test
    void onlineDjlOrOwnLibtorchOrTheCpuBuildAreNotChecked(@TempDir Path cache) {
        assertDoesNotThrow(() -> cudaBuild(cache, false, Map.of()).check());
        assertDoesNotThrow(() -> cudaBuild(cache, true, Map.of("PYTORCH_LIBRARY_PATH", "/opt/libtorch/lib")).check());
        assertDoesNotThrow(() -> new GpuNatives(L, k -> null, true, cache, true).check());
    }

    @Test
    void cpuDevicesAreNeverChecked() {
        assertDoesNotThrow(() -> GpuNatives.requireFor("cpu()"));
        assertDoesNotThrow(() -> GpuNatives.requireFor("auto"));
        assertDoesNotThrow(() -> GpuNatives.requireFor(null));
    }
}
