package bitsweep.data.download;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a file over HTTP(S) into a temporary sibling of its destination, checks its digest and
 * only then renames it into place, so a failed or tampered download never leaves a partial file
 * where a reader would pick it up.
 */
public final class VerifiedDownload {

    private static final Logger LOG = LoggerFactory.getLogger(VerifiedDownload.class);

    private final HttpClient http;

    public VerifiedDownload(Duration connectTimeout) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /**
     * Downloads the first mirror that answers, optionally gunzipping on the fly, and moves the
     * result to {@code target} when the {@code algorithm} digest of the stored bytes equals
     * {@code expectedHex}.
     *
     * @throws IOException naming the URL(s) and the reason when no mirror gives the right bytes
     */
    public void fetch(List<URI> mirrors, Path target, boolean gunzip, String algorithm, String expectedHex)
            throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        StringBuilder failures = new StringBuilder();
        for (URI uri : mirrors) {
            Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
            try {
                String actual = downloadTo(uri, tmp, gunzip, algorithm);
                if (!actual.equalsIgnoreCase(expectedHex)) {
                    throw new IOException(algorithm + " of the downloaded " + target.getFileName() + " is " + actual
                            + ", expected " + expectedHex + " (corrupt or altered download)");
                }
                moveIntoPlace(tmp, target);
                LOG.info("{} verified ({} {}) and written to {}", uri, algorithm, expectedHex, target);
                return;
            } catch (IOException e) {
                LOG.warn("download of {} failed: {}", uri, e.toString());
                failures.append("\n  ").append(uri).append(": ").append(describe(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while downloading " + uri, e);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        throw new IOException("could not download " + target.getFileName() + " from any mirror:" + failures
                + "\n(no internet access? copy the files into " + dir + " by hand)");
    }

    private String downloadTo(URI uri, Path tmp, boolean gunzip, String algorithm)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP status " + response.statusCode() + ", expected 200");
            }
            MessageDigest digest = digest(algorithm);
            try (InputStream raw = gunzip ? new GZIPInputStream(body, 1 << 16) : body;
                 InputStream in = new DigestInputStream(raw, digest);
                 OutputStream out = Files.newOutputStream(tmp)) {
                in.transferTo(out);
            }
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unknown digest " + algorithm, e);
        }
    }

    static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " " + message);
    }
}
