package bitsweep.natives;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds fake staged folders in DJL's cache layout (empty files: the check looks at names only). */
public final class StagedFolders {
    static final NativesLayout LAYOUT = new NativesLayout("2.7.1", "0.36.0", "linux-x86_64");

    private StagedFolders() {
    }

    public static Path complete(Path root, String flavor) throws IOException {
        Path dir = LAYOUT.flavorDir(root, flavor);
        Files.createDirectories(dir);
        for (String f : LAYOUT.requiredLibraries(flavor)) {
            Files.createFile(dir.resolve(f));
        }
        if (NativesLayout.isCuda(flavor)) {
            Files.writeString(LAYOUT.indexFile(root), flavor + "/linux-x86_64/native/lib/libtorch.so.gz\n");
        }
        return dir;
    }
}
