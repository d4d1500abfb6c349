package bitsweep.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** A declared length is a ceiling: nothing past it is written, and reading stops right there. */
class BoundedCopyTest {

    /** Endless-looking source: {@code length} bytes, produced on demand, counting what was read. */
    private static class CountingSource extends InputStream {
        private final long length;
        long read;

        CountingSource(long length) {
            this.length = length;
        }

        @Override
        public int read() {
            if (read >= length) {
                return -1;
            }
            read++;
            return 7;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (read >= length) {
                return -1;
            }
            int n = (int) Math.min(len, length - read);
            read += n;
            return n;
        }
    }

    @Test
    void streamLongerThanDeclaredIsCutOffAfterOneBufferAndNothingPastTheLimitIsWritten() {
        CountingSource source = new CountingSource(100_000_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IOException e = assertThrows(IOException.class,
                () -> BoundedCopy.copy(source, out, 1024, () -> "x sent more than 1024 bytes"));
        assertEquals("x sent more than 1024 bytes", e.getMessage());
        assertTrue(source.read <= 1024 + BoundedCopy.BUFFER_BYTES, "read " + source.read + " bytes");
        assertTrue(out.size() <= 1024, "wrote " + out.size() + " bytes");
    }

    @Test
    void limitIsReachedInSmallReadsAndStillEnforced() {
        // one-byte reads: the limit is hit exactly, not one buffer later
        InputStream source = new CountingSource(5000) {
            @Override
            public int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThrows(IOException.class, () -> BoundedCopy.copy(source, out, 1024, () -> "too long"));
        assertEquals(1024, out.size());
    }

    @Test
    void streamOfExactlyTheLimitIsCopied() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(200_000, BoundedCopy.copy(new CountingSource(200_000), out, 200_000, () -> "too long"));
        assertEquals(200_000, out.size());
    }

    @Test
    void shorterStreamIsCopiedAndItsLengthReturned() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(10, BoundedCopy.copy(new CountingSource(10), out, Long.MAX_VALUE, () -> "too long"));
        assertEquals(10, out.size());
    }
}
