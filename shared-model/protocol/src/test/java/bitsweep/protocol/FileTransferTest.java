package bitsweep.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.cluster.ClusterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamRefs;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files over stream refs: chunked, verified, bounded, and invisible unless intact. */
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

    @Test
    void aSmallFileTravelsInlineAndArrivesByteForByte() throws Exception {
        byte[] content = Files.readAllBytes(randomFile(3_000));
        FileOffer inline = FileTransfer.offerInline("result.json", content, FileTransfer.sha256(content));
        assertEquals(null, inline.source());
        Path target = receive(inline, dir.resolve("store/result.json"));
        assertArrayEquals(content, Files.readAllBytes(target));
    }

    @Test
    void inlineBytesAreCheckedLikeStreamedOnes() throws Exception {
        byte[] content = Files.readAllBytes(randomFile(3_000));
        Path target = dir.resolve("store/result.json");
        FileOffer tampered = new FileOffer("result.json", content.length, "0".repeat(64), null, content);
        ExecutionException e = assertThrows(ExecutionException.class, () -> receive(tampered, target));
        assertTrue(String.valueOf(e.getCause()).contains("SHA-256 mismatch"), String.valueOf(e.getCause()));
        FileOffer shorter = new FileOffer("result.json", content.length + 1, FileTransfer.sha256(content), null,
                content);
        e = assertThrows(ExecutionException.class, () -> receive(shorter, target));
        assertTrue(String.valueOf(e.getCause()).contains("ended after 3000 bytes"), String.valueOf(e.getCause()));
        FileOffer empty = new FileOffer("result.json", 0, FileTransfer.sha256(new byte[0]), null, null);
        e = assertThrows(ExecutionException.class, () -> receive(empty, target));
        assertTrue(String.valueOf(e.getCause()).contains("exactly one of a stream and inline bytes"),
                String.valueOf(e.getCause()));
        byte[] big = new byte[FileTransfer.INLINE_MAX_BYTES + 1];
        assertThrows(IllegalArgumentException.class,
                () -> FileTransfer.offerInline("big.bin", big, FileTransfer.sha256(big)));
        assertFalse(Files.exists(target));
    }

    /** A sender's stream of {@code total} bytes that counts what it emitted and reports when it stops. */
    private static final class Sender {
        final AtomicLong emitted = new AtomicLong();
        final SourceRef<ByteString> ref;
        final CompletionStage<Done> terminated;

        Sender(long total) {
            ByteString chunk = ByteString.fromArray(new byte[FileTransfer.CHUNK_BYTES]);
            Pair<CompletionStage<Done>, SourceRef<ByteString>> m = Source.repeat(chunk)
                    .take(total / FileTransfer.CHUNK_BYTES)
                    .map(c -> {
                        emitted.addAndGet(c.size());
                        return c;
                    })
                    .watchTermination(Keep.right())
                    .toMat(StreamRefs.sourceRef(), Keep.both())
                    .run(kit.system());
            terminated = m.first();
            ref = m.second();
        }

        FileOffer offer(String name, long declaredSize) {
            return new FileOffer(name, declaredSize, "0".repeat(64), ref);
        }
    }

    private static Throwable cause(ExecutionException e) {
        Throwable t = e.getCause();
        return t instanceof java.io.UncheckedIOException ? t.getCause() : t;
    }

    @Test
    void offerDeclaringMoreThanTheLimitIsRefusedBeforeAnyByteIsCopied() throws Exception {
        Sender sender = new Sender(10L << 20);
        Path target = dir.resolve("store/big.ckpt");
        ExecutionException e = assertThrows(ExecutionException.class, () -> FileTransfer.receive(
                sender.offer("big.ckpt", 10L << 20), target, 1L << 20, kit.system(), Runnable::run)
                .toCompletableFuture().get(20, TimeUnit.SECONDS));
        assertEquals("refusing big.ckpt: declared size 10485760 bytes is outside the limit of 0..1048576 bytes",
                cause(e).getMessage());
        assertFalse(Files.exists(target.getParent()), "nothing was created for the target");
        // the refusal cancels the sender's stream at once instead of leaving it to time out
        sender.terminated.toCompletableFuture().handle((done, err) -> done).get(5, TimeUnit.SECONDS);
        assertEquals(0, sender.emitted.get());
    }

    @Test
    void negativeDeclaredSizeIsRefused() throws Exception {
        Sender sender = new Sender(FileTransfer.CHUNK_BYTES);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> receive(sender.offer("x.bin", -1), dir.resolve("store/x.bin")));
        assertTrue(cause(e).getMessage().contains("declared size -1 bytes is outside the limit"), cause(e).getMessage());
    }

    @Test
    void offerThatStreamsMoreThanItDeclaredIsCutOffEarly() throws Exception {
        Sender sender = new Sender(100L << 20);
        Path target = dir.resolve("store/liar.bin");
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> receive(sender.offer("liar.bin", 1024), target));
        assertEquals("transfer of liar.bin sent more than its declared 1024 bytes; aborted", cause(e).getMessage());
        assertFalse(Files.exists(target));
        try (var files = Files.list(target.getParent())) {
            assertTrue(files.findAny().isEmpty(), "no temporary file left behind");
        }
        // the receiver cancelled: the sender stops, having sent only what stream buffers held
        sender.terminated.toCompletableFuture().handle((done, err) -> done).get(5, TimeUnit.SECONDS);
        assertTrue(sender.emitted.get() < (8L << 20), "sender emitted " + sender.emitted.get() + " bytes");
        // and the actor system carries on
        Path source = randomFile(3 * FileTransfer.CHUNK_BYTES);
        Path after = receive(FileTransfer.offer(source, "after.bin", kit.system()), dir.resolve("store/after.bin"));
        assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(after));
    }

    @Test
    void unsafeFileNamesAreRefused() throws Exception {
        for (String name : new String[] {"../x", ".hidden", "a/b", "..", ""}) {
            Sender sender = new Sender(FileTransfer.CHUNK_BYTES);
            Path target = dir.resolve("store/ok.bin");
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> receive(sender.offer(name, FileTransfer.CHUNK_BYTES), target), name);
            assertTrue(cause(e).getMessage().startsWith("refusing file transfer: invalid file name '" + name + "'"),
                    cause(e).getMessage());
            assertFalse(Files.exists(target.getParent()));
        }
    }

    @Test
    void malformedHashIsRefused() throws Exception {
        Sender sender = new Sender(FileTransfer.CHUNK_BYTES);
        FileOffer upper = new FileOffer("x.bin", FileTransfer.CHUNK_BYTES, "A".repeat(64), sender.ref);
        ExecutionException e = assertThrows(ExecutionException.class, () -> receive(upper, dir.resolve("x.bin")));
        assertEquals("refusing x.bin (65536 bytes): SHA-256 is not 64 lower-case hex characters",
                cause(e).getMessage());
    }

    @Test
    void offerThatWouldLeaveLessThanTheReserveFreeIsRefused() throws Exception {
        long usable = Files.getFileStore(dir).getUsableSpace();
        Sender sender = new Sender(FileTransfer.CHUNK_BYTES);
        Path target = dir.resolve("store/huge.bin");
        // fits the size limit, and the disk on its own, but not with the reserve kept free
        ExecutionException e = assertThrows(ExecutionException.class, () -> FileTransfer.receive(
                sender.offer("huge.bin", usable - 1), target, Long.MAX_VALUE, kit.system(), Runnable::run)
                .toCompletableFuture().get(20, TimeUnit.SECONDS));
        assertTrue(cause(e).getMessage().startsWith("refusing huge.bin: declared size " + (usable - 1) + " bytes"
                + " does not fit"), cause(e).getMessage());
        assertFalse(Files.exists(target));
        sender.terminated.toCompletableFuture().handle((done, err) -> done).get(5, TimeUnit.SECONDS);
    }

    @Test
    void defaultLimitIsFourGibUnlessTheSystemPropertySaysOtherwise() {
        assertEquals(4L << 30, FileTransfer.DEFAULT_MAX_FILE_BYTES);
        String before = System.getProperty(FileTransfer.MAX_FILE_BYTES_PROPERTY);
        try {
            System.setProperty(FileTransfer.MAX_FILE_BYTES_PROPERTY, "1234");
            assertEquals(1234, FileTransfer.maxFileBytes());
        } finally {
            if (before == null) {
                System.clearProperty(FileTransfer.MAX_FILE_BYTES_PROPERTY);
            } else {
                System.setProperty(FileTransfer.MAX_FILE_BYTES_PROPERTY, before);
            }
        }
    }
}
