package bitsweep.orchestrator.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.protocol.ClusterConfig;
import bitsweep.protocol.FileOffer;
import bitsweep.protocol.FileTransfer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files over stream refs: chunked, verified, and invisible unless intact. */
class FileTransferTest {
    private static ActorTestKit kit;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("transfer-test", ClusterConfig.node().set("pekko.actor.provider", "local").build());
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    private Path randomFile(int bytes) throws Exception {
        byte[] content = new byte[bytes];
        new Random(42).nextBytes(content);
        Path f = dir.resolve("source.bin");
        Files.write(f, content);
        return f;
    }

    private Path receive(FileOffer offer, Path target) throws Exception {
        return FileTransfer.receive(offer, target, kit.system(), Runnable::run).toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
    }

    @Test
    void multiChunkFileArrivesByteForByte() throws Exception {
        Path source = randomFile(5 * FileTransfer.CHUNK_BYTES + 123);
        Path target = receive(FileTransfer.offer(source, "ckpt.bin", kit.system()), dir.resolve("store/ckpt.bin"));
        assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(target));
    }

    @Test
    void hashMismatchFailsAndLeavesNoFileBehind() throws Exception {
        Path source = randomFile(100_000);
        FileOffer honest = FileTransfer.offer(source, "ckpt.bin", kit.system());
        FileOffer tampered = new FileOffer(honest.name(), honest.size(), "0".repeat(64), honest.source());
        Path target = dir.resolve("store/ckpt.bin");
        ExecutionException e = assertThrows(ExecutionException.class, () -> receive(tampered, target));
        assertTrue(String.valueOf(e.getCause()).contains("SHA-256 mismatch"), String.valueOf(e.getCause()));
        assertFalse(Files.exists(target));
        try (var files = Files.list(target.getParent())) {
            assertTrue(files.findAny().isEmpty(), "no temporary file left behind");
        }
    }

    @Test
    void truncatedTransferFailsAndKeepsThePreviousVersion() throws Exception {
        Path source = randomFile(70_000);
        Path target = dir.resolve("store/result.json");
        Files.createDirectories(target.getParent());
        Files.writeString(target, "previous");
        FileOffer honest = FileTransfer.offer(source, "result.json", kit.system());
        FileOffer longer = new FileOffer(honest.name(), honest.size() + 1, honest.sha256(), honest.source());
        ExecutionException e = assertThrows(ExecutionException.class, () -> receive(longer, target));
        assertTrue(String.valueOf(e.getCause()).contains("ended after 70000 bytes"), String.valueOf(e.getCause()));
        assertArrayEquals("previous".getBytes(), Files.readAllBytes(target));
    }
}
