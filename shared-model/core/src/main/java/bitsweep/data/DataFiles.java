package bitsweep.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** File-system helpers shared by the data-set readers: locating files and reading them whole. */
final class DataFiles {

    private DataFiles() {
    }

    /**
     * Returns the first existing candidate among {@code dir/sub/name[.gz]} for each sub-folder in
     * {@code subFolders} (the empty string meaning {@code dir} itself), or {@code null}.
     */
    static Path find(Path dir, String name, boolean allowGzip, String... subFolders) {
        for (Path candidate : candidates(dir, name, allowGzip, subFolders)) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    static List<Path> candidates(Path dir, String name, boolean allowGzip, String... subFolders) {
        List<Path> out = new ArrayList<>();
        for (String sub : subFolders) {
            Path base = sub.isEmpty() ? dir : dir.resolve(sub);
            out.add(base.resolve(name));
            if (allowGzip) {
                out.add(base.resolve(name + ".gz"));
            }
        }
        return out;
    }

    /** Reads the whole file, transparently gunzipping names ending in {@code .gz}. */
    static byte[] readAll(Path file) throws IOException {
        if (!file.getFileName().toString().endsWith(".gz")) {
            return Files.readAllBytes(file);
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            return in.readAllBytes();
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
            throw new IOException(file + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
        }
    }

    static void requireDirectory(Path dir, String what) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new java.nio.file.NoSuchFileException(dir.toString(), null,
                    "data folder not found; expected " + what);
        }
    }
}
