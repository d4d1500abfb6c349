package bitsweep.protocol;

import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.util.ByteString;

/**
 * A file one node offers to another: the receiver pulls the bytes through {@code source} (a Pekko
 * stream ref, chunked, back-pressured) and checks them against {@code size} and {@code sha256}
 * before it makes the file visible.
 *
 * @param name   file name the receiver stores it under (no directories)
 * @param size   length in bytes
 * @param sha256 lower-case hex SHA-256 of the content
 * @param source the bytes; can be materialized once, within the stream-ref subscription timeout
 */
public record FileOffer(String name, long size, String sha256, SourceRef<ByteString> source)
        implements CborSerializable {
}
