package bitsweep.protocol;

import bitsweep.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.stream.javadsl.FileIO;
import org.apache.pekko.stream.javadsl.StreamConverters;
import org.apache.pekko.stream.javadsl.StreamRefs;
import org.apache.pekko.util.ByteString;

/**
 * Moves files between nodes over Pekko stream refs: no shared filesystem is assumed. The sender
 * exposes a file as a {@link FileOffer}; the receiver streams it into a temporary sibling of the
 * target, verifies length and SHA-256, and renames it into place ({@link AtomicFiles}), so a torn or
 * corrupted transfer never becomes visible.
 */
public final class FileTransfer {
    /** Chunk size; well below Artery's default 256 KiB maximum frame. */
    public static final int CHUNK_BYTES = 64 * 1024;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private FileTransfer() {
    }

    /** Offers {@code file} under {@code name}, computing its hash now (blocking: reads the file). */
    public static FileOffer offer(Path file, String name, ClassicActorSystemProvider system) throws IOException {
        return offer(file, name, sha256(file), system);
    }

    /** Offers a file whose SHA-256 is already known (cheap: only materializes the stream ref). */
    public static FileOffer offer(Path file, String name, String sha256, ClassicActorSystemProvider system)
            throws IOException {
        long size = Files.size(file);
        SourceRef<ByteString> ref = FileIO.fromPath(file, CHUNK_BYTES).runWith(StreamRefs.sourceRef(), system);
        return new FileOffer(name, size, sha256, ref);
    }

    /**
     * Pulls the offered bytes into {@code target}. Completes exceptionally when the stream fails, the
     * length or the hash differ; the target is then untouched. The copy blocks a thread of
     * {@code blocking}, never an actor's.
     */
    public static CompletionStage<Path> receive(FileOffer offer, Path target, ClassicActorSystemProvider system,
                                                Executor blocking) {
        InputStream in;
        try {
            in = offer.source().getSource().runWith(StreamConverters.asInputStream(READ_TIMEOUT), system);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.supplyAsync(() -> {
            try (InputStream stream = in) {
                AtomicFiles.write(target, out -> {
                    MessageDigest digest = newDigest();
                    long copied;
                    try (DigestInputStream din = new DigestInputStream(stream, digest)) {
                        copied = din.transferTo(out);
                    }
                    if (copied != offer.size()) {
                        throw new IOException("transfer of " + offer.name() + " ended after " + copied
                                + " bytes, expected " + offer.size());
                    }
                    String actual = HexFormat.of().formatHex(digest.digest());
                    if (!actual.equals(offer.sha256())) {
                        throw new IOException("SHA-256 mismatch for " + offer.name() + ": expected "
                                + offer.sha256() + ", got " + actual);
                    }
                });
                return target;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, blocking);
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest digest = newDigest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
