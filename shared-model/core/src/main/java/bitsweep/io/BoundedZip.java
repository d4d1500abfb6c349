package bitsweep.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads the entries of a zip that may come from another node into memory, with limits on the
 * number of entries, on each entry's inflated size and on the total. Sizes are counted as the bytes
 * are inflated: the sizes in the zip headers are written by the sender and prove nothing (they are
 * only used to refuse early), so a zip bomb costs at most the limit, never what it inflates to.
 */
public final class BoundedZip {
    /** The largest byte array a JVM allocates; an entry is read into one. */
    public static final int MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;
    private static final int BUFFER_BYTES = 64 * 1024;

    /**
     * @param maxEntries    entries beyond this are refused
     * @param maxEntryBytes inflated bytes one entry may have (at most {@link #MAX_ARRAY_BYTES})
     * @param maxTotalBytes inflated bytes all entries together may have
     */
    public record Limits(int maxEntries, long maxEntryBytes, long maxTotalBytes) {
        public Limits {
            if (maxEntries < 0 || maxEntryBytes < 0 || maxEntryBytes > MAX_ARRAY_BYTES || maxTotalBytes < 0) {
                throw new IllegalArgumentException("bad zip limits: " + maxEntries + " entries, " + maxEntryBytes
                        + " bytes per entry, " + maxTotalBytes + " bytes in all");
            }
        }
    }

    /** Receives one entry; the array holds exactly the entry's inflated bytes. */
    @FunctionalInterface
    public interface EntryHandler {
        void accept(String name, byte[] content) throws IOException;
    }

    private BoundedZip() {
    }

    /**
     * Hands every entry of {@code file} to {@code handler}, in file order. Throws an {@link IOException}
     * naming the file and the entry as soon as a limit is passed; a malformed zip surfaces as
     * {@link java.util.zip.ZipException}.
     */
    public static void read(Path file, Limits limits, EntryHandler handler) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            read(in, file.toString(), limits, handler);
        }
    }

    /** As {@link #read(Path, Limits, EntryHandler)}, from a stream; {@code source} names it in errors. */
    public static void read(InputStream in, String source, Limits limits, EntryHandler handler) throws IOException {
        ZipInputStream zip = new ZipInputStream(in);
        long total = 0;
        int count = 0;
        ZipEntry entry;
        while ((entry = zip.getNextEntry()) != null) {
            if (++count > limits.maxEntries()) {
                throw new IOException(source + " has more than " + limits.maxEntries() + " entries");
            }
            byte[] content = readEntry(zip, entry, source, limits, total);
            total += content.length;
            handler.accept(entry.getName(), content);
        }
    }

    private static byte[] readEntry(ZipInputStream zip, ZipEntry entry, String source, Limits limits, long total)
            throws IOException {
        long totalLeft = limits.maxTotalBytes() - total;
        long allowed = Math.min(limits.maxEntryBytes(), totalLeft);
        if (entry.getSize() >= 0 && entry.getSize() > allowed) { // declared too big: refuse before inflating
            throw tooBig(entry, source, limits, totalLeft, "declares " + entry.getSize() + " bytes, more than");
        }
        // Never size the buffer from the header; it grows only as real bytes arrive.
        ByteArrayOutputStream content = new ByteArrayOutputStream((int) Math.min(allowed, BUFFER_BYTES));
        byte[] buffer = new byte[BUFFER_BYTES];
        long read = 0;
        int n;
        while ((n = zip.read(buffer)) >= 0) {
            if (n > allowed - read) {
                throw tooBig(entry, source, limits, totalLeft, "inflates past");
            }
            content.write(buffer, 0, n);
            read += n;
        }
        return content.toByteArray();
    }

    private static IOException tooBig(ZipEntry entry, String source, Limits limits, long totalLeft, String verb) {
        if (limits.maxEntryBytes() <= totalLeft) {
            return new IOException("entry " + entry.getName() + " of " + source + " " + verb + " "
                    + limits.maxEntryBytes() + " bytes (the limit for one entry)");
        }
        return new IOException("entry " + entry.getName() + " of " + source + " " + verb + " the "
                + totalLeft + " bytes left of the " + limits.maxTotalBytes() + "-byte limit for all entries");
    }
}
