package bitsweep.data.download;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * Minimal reader for the (ustar) tar.gz archives data sets ship in: extracts the regular files
 * whose entry name passes a filter. Each file is written to a temporary sibling and renamed, so
 * an interrupted extraction leaves no half-written data file.
 */
public final class TarGz {

    private static final int BLOCK = 512;

    private TarGz() {
    }

    /** Extracts matching entries flat into {@code dir} (base names only); returns the files written. */
    public static List<Path> extract(Path archive, Path dir, Predicate<String> wanted) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive), 1 << 16)) {
            byte[] header = new byte[BLOCK];
            while (true) {
                if (!readBlock(in, header, archive)) {
                    break;
                }
                if (isZero(header)) {
                    break; // end-of-archive marker
                }
                String name = cString(header, 0, 100);
                String prefix = cString(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long size = octal(header, 124, 12, archive, name);
                byte type = header[156];
                boolean regular = type == '0' || type == 0;
                String base = name.substring(name.lastIndexOf('/') + 1);
                if (regular && !base.isEmpty() && wanted.test(name)) {
                    Path target = dir.resolve(base);
                    Path tmp = Files.createTempFile(dir, "." + base + ".", ".part");
                    try {
                        try (OutputStream out = Files.newOutputStream(tmp)) {
                            copy(in, out, size, archive, name);
                        }
                        VerifiedDownload.moveIntoPlace(tmp, target);
                    } finally {
                        Files.deleteIfExists(tmp);
                    }
                    written.add(target);
                } else {
                    skip(in, size, archive, name);
                }
                skip(in, (BLOCK - size % BLOCK) % BLOCK, archive, name);
            }
        }
        return written;
    }

    private static boolean readBlock(InputStream in, byte[] block, Path archive) throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw new EOFException(archive + ": truncated tar header (" + n + " of 512 bytes)");
        }
        return true;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.US_ASCII);
    }

    private static long octal(byte[] b, int off, int len, Path archive, String entry) throws IOException {
        String s = cString(b, off, len).trim();
        try {
            return s.isEmpty() ? 0 : Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IOException(archive + ": entry " + entry + " has size field '" + s + "', expected octal digits");
        }
    }

    private static void copy(InputStream in, OutputStream out, long size, Path archive, String entry)
            throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new EOFException(archive + ": truncated in entry " + entry + " (" + left + " bytes missing)");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static void skip(InputStream in, long n, Path archive, String entry) throws IOException {
        copy(in, OutputStream.nullOutputStream(), n, archive, entry);
    }
}
