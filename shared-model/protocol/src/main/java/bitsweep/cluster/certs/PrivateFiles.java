package bitsweep.cluster.certs;

import bitsweep.io.FileTrees;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Key material on disk: folders {@code rwx------}, files {@code rw-------}, each file made in a private
 * staging folder and moved into place atomically, so a reader never sees a half-written keystore.
 */
final class PrivateFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private PrivateFiles() {
    }

    /** Creates {@code dir} (and parents) if needed; a folder created here is owner-only. */
    static Path directory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            ownerOnly(dir, "rwx------");
        }
        return dir;
    }

    /** An owner-only staging folder inside {@code parent} (same file system: the final move is atomic). */
    static Path staging(Path parent) throws IOException {
        if (POSIX) {
            return Files.createTempDirectory(parent, ".bitsweep-certs-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return Files.createTempDirectory(parent, ".bitsweep-certs-");
    }

    /** Makes a staged file owner-only and moves it to {@code target} in one step. */
    static void publish(Path staged, Path target) throws IOException {
        ownerOnly(staged, "rw-------");
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot move " + staged + " to " + target + " atomically", e);
        }
    }

    static void deleteTree(Path dir) {
        FileTrees.deleteQuietly(dir); // best effort: the staging folder is owner-only and hidden
    }

    private static void ownerOnly(Path p, String perms) throws IOException {
        if (POSIX) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        }
    }
}
