package bitsweep.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.data.download.Checksums;
import bitsweep.data.download.DataSources;
import bitsweep.data.download.TarGz;
import bitsweep.data.download.VerifiedDownload;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads against a local HTTP server only; nothing here reaches the internet. */
class DownloadTest {

    @TempDir
    Path dir;
    private HttpServer server;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = served.get(exchange.getRequestURI().getPath());
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        }
        return bytes.toByteArray();
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
        }
    }

    @Test
    void verifiedGzipDownloadIsStoredUncompressedAfterFallingBackToTheSecondMirror() throws Exception {
        byte[] content = "IDX bytes".getBytes(StandardCharsets.US_ASCII);
        served.put("/b/file.gz", gzip(content));
        Path target = dir.resolve("out/file");
        new VerifiedDownload(Duration.ofSeconds(5)).fetch(List.of(url("/a/file.gz"), url("/b/file.gz")),
                target, true, "SHA-256", sha256(content));
        assertArrayEquals(content, Files.readAllBytes(target));
        assertEquals(List.of(), leftovers());
    }

    @Test
    void checksumMismatchLeavesNoFileBehind() throws Exception {
        served.put("/f", "tampered".getBytes(StandardCharsets.US_ASCII));
        Path target = dir.resolve("f");
        IOException e = assertThrows(IOException.class, () -> new VerifiedDownload(Duration.ofSeconds(5))
                .fetch(List.of(url("/f")), target, false, "MD5", "c58f30108f718f92721af3b95e74349a"));
        assertTrue(e.getMessage().contains("expected c58f30108f718f92721af3b95e74349a"), e.getMessage());
        assertFalse(Files.exists(target));
        assertEquals(List.of(), leftovers());
    }

    @Test
    void unreachableServerGivesAClearOfflineMessageAndExitCode1() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        DownloadCommand command = new DownloadCommand();
        command.mirrorOverride = List.of(URI.create("http://127.0.0.1:" + closedPort + "/mnist/"));
        int exit = Cli.commandLine(command).execute("mnist", "--data-dir", dir.toString(), "--timeout-s", "2");
        assertEquals(1, exit);
        assertEquals(List.of(), leftovers());
        assertFalse(Files.exists(dir.resolve("train-images-idx3-ubyte")));
        IOException e = assertThrows(IOException.class, () -> new VerifiedDownload(Duration.ofSeconds(2))
                .fetch(List.of(URI.create("http://127.0.0.1:" + closedPort + "/x")), dir.resolve("x"), false, "MD5", "00"));
        assertTrue(e.getMessage().contains("no internet access") && e.getMessage().contains("ConnectException"),
                e.getMessage());
    }

    @Test
    void mnistCommandKeepsVerifiedFilesAndFetchesTheMissingOne() throws Exception {
        Path real = Path.of(System.getProperty("bitsweep.repoRoot", ".")).resolve("data/mnist");
        assertTrue(Files.isDirectory(real), "real MNIST not present at " + real + " (run scripts/get-mnist.sh; the README test command does)");
        Path dest = dir.resolve("mnist");
        Files.createDirectories(dest);
        for (DataSources.MnistFile f : DataSources.MNIST.subList(0, 3)) {
            Files.copy(real.resolve(f.name()), dest.resolve(f.name()));
        }
        String missing = DataSources.MNIST.get(3).name();
        served.put("/mirror/" + missing + ".gz", gzip(Files.readAllBytes(real.resolve(missing))));
        DownloadCommand command = new DownloadCommand();
        command.mirrorOverride = List.of(url("/mirror/"));
        assertEquals(0, Cli.commandLine(command).execute("mnist", "--data-dir", dest.toString()));
        assertArrayEquals(Files.readAllBytes(real.resolve(missing)), Files.readAllBytes(dest.resolve(missing)));
    }

    @Test
    void builtInMnistChecksumsMatchTheRealFiles() throws IOException {
        Path real = Path.of(System.getProperty("bitsweep.repoRoot", ".")).resolve("data/mnist");
        assertTrue(Files.isDirectory(real), "real MNIST not present at " + real + " (run scripts/get-mnist.sh; the README test command does)");
        for (DataSources.MnistFile f : DataSources.MNIST) {
            assertEquals(f.sha256(), Checksums.hex(real.resolve(f.name()), "SHA-256"), f.name());
        }
    }

    /** A ustar archive holding the given entries (name → bytes), gzip-compressed. */
    private static byte[] tarGz(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            byte[] header = new byte[512];
            byte[] name = e.getKey().getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(name, 0, header, 0, name.length);
            byte[] size = String.format("%011o", e.getValue().length).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(size, 0, header, 124, size.length);
            header[156] = e.getKey().endsWith("/") ? (byte) '5' : (byte) '0';
            System.arraycopy("ustar".getBytes(StandardCharsets.US_ASCII), 0, header, 257, 5);
            tar.write(header);
            tar.write(e.getValue());
            tar.write(new byte[(512 - e.getValue().length % 512) % 512]);
        }
        tar.write(new byte[1024]);
        return gzip(tar.toByteArray());
    }

    @Test
    void tarGzExtractionWritesOnlyTheWantedRegularFiles() throws IOException {
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        entries.put("cifar-10-batches-bin/", new byte[0]);
        entries.put("cifar-10-batches-bin/data_batch_1.bin", new byte[3073 * 2 + 0]);
        entries.put("cifar-10-batches-bin/readme.html", "<html>".getBytes(StandardCharsets.US_ASCII));
        entries.put("cifar-10-batches-bin/test_batch.bin", new byte[] {1, 2, 3});
        Path archive = dir.resolve("a.tar.gz");
        Files.write(archive, tarGz(entries));
        Path out = dir.resolve("out");
        List<Path> written = TarGz.extract(archive, out, n -> n.endsWith(".bin"));
        assertEquals(List.of(out.resolve("data_batch_1.bin"), out.resolve("test_batch.bin")), written);
        assertEquals(6146, Files.size(out.resolve("data_batch_1.bin")));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(out.resolve("test_batch.bin")));
        assertFalse(Files.exists(out.resolve("readme.html")));
    }

    @Test
    void truncatedArchiveIsReportedWithTheEntryName() throws IOException {
        byte[] full = tarGz(Map.of("d/data_batch_1.bin", new byte[100_000]));
        // re-compress a cut tar stream so gzip itself is intact but the tar entry is short
        java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(full);
        byte[] tar = new java.util.zip.GZIPInputStream(in).readAllBytes();
        Path archive = dir.resolve("cut.tar.gz");
        Files.write(archive, gzip(java.util.Arrays.copyOf(tar, 512 + 50_000)));
        IOException e = assertThrows(IOException.class, () -> TarGz.extract(archive, dir.resolve("o"), n -> true));
        assertTrue(e.getMessage().contains("cut.tar.gz") && e.getMessage().contains("d/data_batch_1.bin"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("o/data_batch_1.bin")));
        assertEquals(List.of(), leftovers());
    }
}
