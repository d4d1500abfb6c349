package bitsweep.protocol;

import bitsweep.io.AtomicFiles;
import bitsweep.io.BoundedCopy;
import bitsweep.io.SafeNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.regex.Pattern;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.stream.javadsl.FileIO;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.StreamConverters;
import org.apache.pekko.stream.javadsl.StreamRefs;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves files between nodes over Pekko stream refs: no shared filesystem is assumed. The sender
 * exposes a file as a {@link FileOffer}; the receiver streams it into a temporary sibling of the
 * target, verifies length and SHA-256, and renames it into place ({@link AtomicFiles}), so a torn or
 * corrupted transfer never becomes visible.
 *
 * <p>An offer comes from another node and is not trusted: before a byte is copied the receiver
 * checks its name, hash format and declared size against a limit and the free disk space, and while
 * copying it stops at the first byte past the declared size.
 */
public final class FileTransfer {
    /** Chunk size; well below Artery's default 256 KiB maximum frame. */
    public static final int CHUNK_BYTES = 64 * 1024;
    /** Largest file sent inside its message ({@link #offerInline}); well below Artery's maximum frame. */
    public static final int INLINE_MAX_BYTES = 16 * 1024;
    /** System property overriding {@link #DEFAULT_MAX_FILE_BYTES} (bytes). */
    public static final String MAX_FILE_BYTES_PROPERTY = "bitsweep.transfer.max-file-bytes";
    /** Largest file accepted by default: ResNet-18 checkpoints with optimizer state are a few hundred MB. */
    public static final long DEFAULT_MAX_FILE_BYTES = 4L << 30;
    /** System property overriding {@link #DEFAULT_DISK_RESERVE_BYTES} (bytes). */
    public static final String DISK_RESERVE_PROPERTY = "bitsweep.transfer.disk-reserve-bytes";
    /** Space a transfer must leave free, so the journal and logs still fit once the file is in. */
    public static final long DEFAULT_DISK_RESERVE_BYTES = 256L << 20;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Logger log = LoggerFactory.getLogger(FileTransfer.class);

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
     * Offers {@code content} (read already, at most {@link #INLINE_MAX_BYTES}) inside the message itself: a
     * stream ref costs a materialized stream and a handshake on both nodes, which dominated the supervisor's
     * cost per trial for small result files.
     */
    public static FileOffer offerInline(String name, byte[] content, String sha256) {
        if (content.length > INLINE_MAX_BYTES) {
            throw new IllegalArgumentException(name + ": " + content.length + " bytes is above the inline limit of "
                    + INLINE_MAX_BYTES);
        }
        return new FileOffer(name, content.length, sha256, null, content.clone());
    }

    /** The size limit of {@link #receive(FileOffer, Path, ClassicActorSystemProvider, Executor)}. */
    public static long maxFileBytes() {
        return Long.getLong(MAX_FILE_BYTES_PROPERTY, DEFAULT_MAX_FILE_BYTES);
    }

    /** Free space every transfer must leave on the target's file system. */
    public static long diskReserveBytes() {
        return Long.getLong(DISK_RESERVE_PROPERTY, DEFAULT_DISK_RESERVE_BYTES);
    }

    /** {@link #receive(FileOffer, Path, long, ClassicActorSystemProvider, Executor)} up to {@link #maxFileBytes()}. */
    public static CompletionStage<Path> receive(FileOffer offer, Path target, ClassicActorSystemProvider system,
                                                Executor blocking) {
        return receive(offer, target, maxFileBytes(), system, blocking);
    }

    /**
     * Pulls the offered bytes into {@code target}. Completes exceptionally, with the target untouched,
     * when the offer is refused (name not a {@link SafeNames safe name}, malformed hash, declared size
     * negative or above {@code maxBytes}, not enough disk space left beyond {@link #diskReserveBytes()}),
     * when the stream fails or sends more bytes than declared, or when the length or the hash differ.
     * A refused offer's stream is cancelled, so the sender does not wait for its subscription timeout.
     * The copy blocks a thread of {@code blocking}, never an actor's.
     */
    public static CompletionStage<Path> receive(FileOffer offer, Path target, long maxBytes,
                                                ClassicActorSystemProvider system, Executor blocking) {
        try {
            checkOffer(offer, maxBytes);
        } catch (IOException e) {
            cancel(offer, system);
            return CompletableFuture.failedFuture(new UncheckedIOException(e));
        }
        if (offer.inline() != null) {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    requireSpace(offer, target, diskReserveBytes());
                    AtomicFiles.write(target, out -> copy(offer, new java.io.ByteArrayInputStream(offer.inline()), out));
                    return target;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, blocking);
        }
        InputStream in;
        try {
            // Materialized now, on the caller's thread: the sender's ref must be subscribed to in time
            // even when every thread of `blocking` is busy.
            in = offer.source().getSource().runWith(StreamConverters.asInputStream(READ_TIMEOUT), system);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.supplyAsync(() -> {
            // Closing `stream` cancels the sender's stream, whichever way this ends.
            try (InputStream stream = in) {
                // Checked here, not on the caller's thread: looking up the file store may block.
                requireSpace(offer, target, diskReserveBytes());
                AtomicFiles.write(target, out -> copy(offer, stream, out));
                return target;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, blocking);
    }

    /** The checks that need nothing but the offer itself. */
    private static void checkOffer(FileOffer offer, long maxBytes) throws IOException {
        try {
            SafeNames.require("file name", offer.name());
        } catch (IllegalArgumentException e) {
            throw new IOException("refusing file transfer: " + e.getMessage(), e);
        }
        if (offer.size() < 0 || offer.size() > maxBytes) {
            throw new IOException("refusing " + offer.name() + ": declared size " + offer.size()
                    + " bytes is outside the limit of 0.." + maxBytes + " bytes");
        }
        if ((offer.source() == null) == (offer.inline() == null)) {
            throw new IOException("refusing " + offer.name() + ": an offer needs exactly one of a stream and inline "
                    + "bytes");
        }
        if (offer.inline() != null && offer.inline().length > INLINE_MAX_BYTES) {
            throw new IOException("refusing " + offer.name() + ": " + offer.inline().length + " inline bytes is above "
                    + "the limit of " + INLINE_MAX_BYTES);
        }
        if (offer.sha256() == null || !SHA256_HEX.matcher(offer.sha256()).matches()) {
            throw new IOException("refusing " + offer.name() + " (" + offer.size()
                    + " bytes): SHA-256 is not 64 lower-case hex characters");
        }
    }

    /** Best effort: concurrent transfers may all pass; each is still bounded by its declared size. */
    private static void requireSpace(FileOffer offer, Path target, long reserve) throws IOException {
        // statvfs on the folder; Files.getFileStore would parse the mount table on every transfer
        long usable = existingAncestor(target.toAbsolutePath()).toFile().getUsableSpace();
        if (usable - reserve < offer.size()) {
            throw new IOException("refusing " + offer.name() + ": declared size " + offer.size()
                    + " bytes does not fit in the " + usable + " bytes usable under " + target.getParent()
                    + " while keeping " + reserve + " bytes free");
        }
    }

    private static Path existingAncestor(Path path) throws IOException {
        for (Path p = path; p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new IOException("no existing directory above " + path);
    }

    /** Copies at most the declared size, then checks length and hash. */
    private static void copy(FileOffer offer, InputStream stream, OutputStream out) throws IOException {
        MessageDigest digest = newDigest();
        DigestInputStream din = new DigestInputStream(stream, digest);
        long copied = BoundedCopy.copy(din, out, offer.size(), () -> "transfer of " + offer.name()
                + " sent more than its declared " + offer.size() + " bytes; aborted");
        if (copied != offer.size()) {
            throw new IOException("transfer of " + offer.name() + " ended after " + copied
                    + " bytes, expected " + offer.size());
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(offer.sha256())) {
            throw new IOException("SHA-256 mismatch for " + offer.name() + ": expected "
                    + offer.sha256() + ", got " + actual);
        }
    }

    /** Tells the sender at once that the offer is refused, instead of letting its ref time out. */
    private static void cancel(FileOffer offer, ClassicActorSystemProvider system) {
        if (offer.source() == null) {
            return; // inline: nothing waits on the other side
        }
        try {
            offer.source().getSource().runWith(Sink.cancelled(), system);
        } catch (RuntimeException e) {
            log.debug("could not cancel the stream of refused offer {}: {}", offer.name(), e.toString());
        }
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest digest = newDigest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    public static String sha256(byte[] content) {
        return HexFormat.of().formatHex(newDigest().digest(content));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
