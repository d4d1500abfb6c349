package bitsweep.data.download;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Digests of files on disk. */
public final class Checksums {

    private Checksums() {
    }

    public static String hex(Path file, String algorithm) throws IOException {
        MessageDigest digest = VerifiedDownload.digest(algorithm);
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** True when the file exists and has the expected digest. */
    public static boolean matches(Path file, String algorithm, String expectedHex) throws IOException {
        return Files.isRegularFile(file) && hex(file, algorithm).equalsIgnoreCase(expectedHex);
    }
}
