package bitsweep.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zip entries are bounded by what they inflate to, not by what their headers claim. */
class BoundedZipTest {
    private static final BoundedZip.Limits SMALL = new BoundedZip.Limits(4, 16 * 1024, 40 * 1024);

    @TempDir
    Path dir;

    /** Counts the compressed bytes the reader pulls from the file. */
    private static final class CountingInput extends FilterInputStream {
        long read;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            read += b >= 0 ? 1 : 0;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            read += Math.max(n, 0);
            return n;
        }
    }

    /** A zip whose one deflated entry is {@code zeros} zero bytes: tiny on disk, huge inflated. */
    static Path bomb(Path file, String entry, long zeros) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry(entry));
            byte[] block = new byte[1 << 20];
            for (long left = zeros; left > 0; left -= block.length) {
                zip.write(block, 0, (int) Math.min(block.length, left));
            }
            zip.closeEntry();
        }
        return file;
    }

    private Path zip(Map<String, byte[]> entries) throws IOException {
        Path file = dir.resolve("entries.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }

    private static Map<String, byte[]> readAll(Path file, BoundedZip.Limits limits) throws IOException {
        Map<String, byte[]> read = new LinkedHashMap<>();
        BoundedZip.read(file, limits, read::put);
        return read;
    }

    @Test
    void zipBombIsRefusedAfterInflatingLittleMoreThanTheLimit() throws IOException {
        Path file = bomb(dir.resolve("bomb.zip"), "model.params", 64L << 20);
        long compressed = Files.size(file);
        CountingInput in = new CountingInput(Files.newInputStream(file));
        try (in) {
            IOException e = assertThrows(IOException.class, () -> BoundedZip.read(in, "bomb.zip", SMALL,
                    (name, content) -> { }));
            assertEquals("entry model.params of bomb.zip inflates past 16384 bytes (the limit for one entry)",
                    e.getMessage());
        }
        // 64 MiB of zeros deflate to ~64 KB; a reader that inflated everything would read all of it
        assertTrue(compressed > 32 * 1024, "bomb is " + compressed + " bytes");
        assertTrue(in.read < compressed / 8, "read " + in.read + " of " + compressed + " compressed bytes");
    }

    @Test
    void headerDeclaringMoreThanTheLimitIsRefusedBeforeInflating() throws IOException {
        byte[] content = new byte[20 * 1024];
        CRC32 crc = new CRC32();
        crc.update(content);
        ZipEntry stored = new ZipEntry("big.bin");
        stored.setMethod(ZipEntry.STORED);
        stored.setSize(content.length);
        stored.setCrc(crc.getValue());
        Path file = dir.resolve("stored.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(stored);
            zip.write(content);
            zip.closeEntry();
        }
        IOException e = assertThrows(IOException.class, () -> readAll(file, SMALL));
        assertTrue(e.getMessage().contains("entry big.bin of " + file + " declares 20480 bytes, more than 16384"),
                e.getMessage());
    }

    @Test
    void entriesTogetherPastTheTotalLimitAreRefused() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("a", new byte[15 * 1024]);
        entries.put("b", new byte[15 * 1024]);
        entries.put("c", new byte[15 * 1024]);
        IOException e = assertThrows(IOException.class, () -> readAll(zip(entries), SMALL));
        assertTrue(e.getMessage().contains("entry c of ") && e.getMessage().contains(
                "inflates past the 10240 bytes left of the 40960-byte limit for all entries"), e.getMessage());
    }

    @Test
    void tooManyEntriesAreRefused() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            entries.put("e" + i, new byte[] {(byte) i});
        }
        IOException e = assertThrows(IOException.class, () -> readAll(zip(entries), SMALL));
        assertTrue(e.getMessage().endsWith("has more than 4 entries"), e.getMessage());
    }

    @Test
    void entriesWithinTheLimitsArriveIntactAndInOrder() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("first", "hello".getBytes());
        entries.put("empty", new byte[0]);
        byte[] full = new byte[16 * 1024];
        new java.util.Random(1).nextBytes(full);
        entries.put("full", full);
        Map<String, byte[]> read = readAll(zip(entries), SMALL);
        assertEquals(entries.keySet(), read.keySet());
        for (String name : entries.keySet()) {
            assertArrayEquals(entries.get(name), read.get(name), name);
        }
    }

    @Test
    void limitsRefuseEntriesLargerThanAnArray() {
        assertThrows(IllegalArgumentException.class,
                () -> new BoundedZip.Limits(1, BoundedZip.MAX_ARRAY_BYTES + 1L, Long.MAX_VALUE));
    }
}
