package bitsweep.protocol;

import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.util.ByteString;

/**
 * A file one node offers to another: the receiver pulls the bytes through {@code source} (a Pekko
 * stream ref, chunked, back-pressured) — or, for a small file, takes them from {@code inline} — and
 * checks them against {@code size} and {@code sha256} before it makes the file visible.
 *
 * @param name   file name the receiver stores it under (no directories)
 * @param size   length in bytes
 * @param sha256 lower-case hex SHA-256 of the content
 * @param source the bytes; can be materialized once, within the stream-ref subscription timeout; null when inline
 * @param inline the bytes themselves for a file of at most {@link FileTransfer#INLINE_MAX_BYTES} (a trial's
 *               result.json): no stream to set up per file; null when streamed
 */
public record FileOffer(String name, long size, String sha256, SourceRef<ByteString> source, byte[] inline)
        implements CborSerializable {

    /** A streamed file. */
    public FileOffer(String name, long size, String sha256, SourceRef<ByteString> source) {
        this(name, size, sha256, source, null);
    }
}
