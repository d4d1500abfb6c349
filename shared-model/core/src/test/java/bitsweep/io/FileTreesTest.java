package bitsweep.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

    @Test
    void deletesAFolderWithNestedFilesAndFolders(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("tree");
        Files.createDirectories(dir.resolve("a/b/c"));
        Files.writeString(dir.resolve("a/b/c/file.txt"), "x");
        Files.writeString(dir.resolve("top.txt"), "y");
        assertTrue(FileTrees.deleteQuietly(dir));
        assertFalse(Files.exists(dir));
    }

    @Test
    void aMissingFolderIsAlreadyDeleted(@TempDir Path tmp) {
        assertTrue(FileTrees.deleteQuietly(tmp.resolve("never-created")));
    }
}
