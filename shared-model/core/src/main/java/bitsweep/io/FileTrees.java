package bitsweep.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Whole folder trees. */
public final class FileTrees {
    private FileTrees() {
    }

    /**
     * Deletes {@code dir} and everything below it, best effort: for scratch and staging folders whose
     * leftovers are harmless. Returns false when something could not be deleted (or listed).
     */
    public static boolean deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return true;
        }
        boolean all = true;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) { // children before their folder
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    all = false;
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
        return all;
    }
}
