package bitsweep.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Forges zip files for the tests of readers that must not trust them. */
public final class ZipFixtures {
    private ZipFixtures() {
    }

    /** The entries of a (trusted, test-made) zip, in order. */
    public static Map<String, byte[]> entries(Path file) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        }
        return entries;
    }

    /** Writes {@code entries} in order; an entry whose content is null is a bomb of {@code bombBytes} zeros. */
    public static Path write(Path file, Map<String, byte[]> entries, long bombBytes) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                if (e.getValue() != null) {
                    zip.write(e.getValue());
                } else {
                    byte[] block = new byte[1 << 20];
                    for (long left = bombBytes; left > 0; left -= block.length) {
                        zip.write(block, 0, (int) Math.min(block.length, left));
                    }
                }
                zip.closeEntry();
            }
        }
        return file;
    }

    /** A copy of {@code file} with entry {@code name} replaced ({@code null}: by a bomb of {@code bombBytes}). */
    public static Path replace(Path file, Path copy, String name, byte[] content, long bombBytes)
            throws IOException {
        Map<String, byte[]> entries = entries(file);
        if (!entries.containsKey(name)) {
            throw new IllegalArgumentException(file + " has no entry " + name);
        }
        entries.put(name, content);
        return write(copy, entries, bombBytes);
    }
}
