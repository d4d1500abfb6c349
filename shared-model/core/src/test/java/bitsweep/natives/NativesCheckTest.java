package bitsweep.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativesCheckTest {
    private static final NativesLayout L = StagedFolders.LAYOUT;

    @Test
    void completeCudaFolderInDjlsLayoutPasses(@TempDir Path root) throws Exception {
        StagedFolders.complete(root, "cu128");
        NativesReport r = NativesCheck.check(L, root, "cu128");
        assertTrue(r.complete(), r.missing().toString());
        assertEquals(root.resolve("pytorch/2.7.1-cu128-linux-x86_64"), r.dir());
        assertTrue(r.present().containsAll(List.of("libtorch.so", "libtorch_cuda.so", "0.36.0-libdjl_torch.so")));
    }

    @Test
    void emptyFolderListsEveryExpectedFileAsMissing(@TempDir Path root) {
        NativesReport r = NativesCheck.check(L, root, "cu128");
        assertFalse(r.complete());
        assertEquals(r.expected(), r.missing());
        assertEquals(List.of("pytorch/2.7.1-cu128-linux-x86_64/libtorch.so",
                "pytorch/2.7.1-cu128-linux-x86_64/libtorch_cpu.so", "pytorch/2.7.1-cu128-linux-x86_64/libc10.so",
                "pytorch/2.7.1-cu128-linux-x86_64/libtorch_cuda.so", "pytorch/2.7.1-cu128-linux-x86_64/libc10_cuda.so",
                "pytorch/2.7.1-cu128-linux-x86_64/0.36.0-libdjl_torch.so", "pytorch/2.7.1.txt"), r.expected());
        assertEquals(List.of(), r.present());
    }

    @Test
    void folderWithoutTheJniOrTheIndexNamesExactlyThose(@TempDir Path root) throws Exception {
        Path dir = StagedFolders.complete(root, "cu128");
        Files.delete(dir.resolve("0.36.0-libdjl_torch.so"));
        Files.delete(L.indexFile(root));
        NativesReport r = NativesCheck.check(L, root, "cu128");
        assertEquals(List.of("pytorch/2.7.1-cu128-linux-x86_64/0.36.0-libdjl_torch.so", "pytorch/2.7.1.txt"),
                r.missing());
    }

    @Test
    void cpuFlavorNeedsNoCudaLibrariesAndNoIndex(@TempDir Path root) throws Exception {
        StagedFolders.complete(root, "cpu");
        NativesReport r = NativesCheck.check(L, root, "cpu");
        assertTrue(r.complete(), r.missing().toString());
        assertFalse(r.expected().stream().anyMatch(f -> f.contains("cuda") || f.endsWith(".txt")));
    }

    @Test
    void errorNamesTheFolderTheFlavorTheMissingFilesAndHowToStage(@TempDir Path root) {
        String message = NativesCheck.check(L, root, "cu128").errorMessage();
        assertTrue(message.contains("missing in " + root.toAbsolutePath()), message);
        assertTrue(message.contains("flavor cu128 (DJL 0.36.0, PyTorch 2.7.1, linux-x86_64)"), message);
        assertTrue(message.contains("pytorch/2.7.1-cu128-linux-x86_64/libtorch_cuda.so"), message);
        assertTrue(message.contains("bitsweep natives stage --flavor cu128 --dir DIR"), message);
        assertTrue(message.contains("BITSWEEP_NATIVES_DIR"), message);
    }
}
