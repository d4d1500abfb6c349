package bitsweep.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Supplier;

/**
 * Copies a stream whose length was declared by someone else: the copy fails before it writes the
 * first byte past the limit, so an over-long stream costs at most {@code maxBytes} on disk and one
 * buffer of reading, not whatever the sender chooses to send.
 */
public final class BoundedCopy {
    static final int BUFFER_BYTES = 64 * 1024;

    private BoundedCopy() {
    }

    /**
     * Copies {@code in} to {@code out} until end of stream and returns the number of bytes copied.
     *
     * @param tooLong the message of the {@link IOException} thrown when more than {@code maxBytes} arrive
     */
    public static long copy(InputStream in, OutputStream out, long maxBytes, Supplier<String> tooLong)
            throws IOException {
        byte[] buffer = new byte[BUFFER_BYTES];
        long copied = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            if (n > maxBytes - copied) {
                throw new IOException(tooLong.get());
            }
            out.write(buffer, 0, n);
            copied += n;
        }
        return copied;
    }
}
