package bitsweep.io;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * Big-endian reads ({@link java.io.DataOutputStream}'s layout) from one in-memory entry of a file
 * that may come from another node. Every length read from the data is checked against the bytes
 * actually left in the entry and against a cap before the caller allocates anything with it, so a
 * forged length fails with a message instead of an {@link OutOfMemoryError}.
 */
public final class EntryInput {
    private final ByteArrayInputStream bytes;
    private final DataInputStream in;
    private final String where;

    /** @param where names the entry in errors, e.g. {@code run/epoch-3.ckpt!optimizer.bin} */
    public EntryInput(byte[] content, String where) {
        this.bytes = new ByteArrayInputStream(content);
        this.in = new DataInputStream(bytes);
        this.where = where;
    }

    /** Bytes not read yet (exact: the entry is in memory). */
    public int remaining() {
        return bytes.available();
    }

    /**
     * Reads an int count of {@code unit}s of {@code bytesEach} bytes each that follow, and checks it:
     * not negative, no more than the entry has bytes left for, and at most {@code cap} (which keeps a
     * single array reasonable even in a huge entry).
     *
     * @param what the thing that declares the count, for errors ("tensor 'w'")
     * @param unit what is counted, for errors ("elements")
     */
    public int readCount(String what, String unit, int bytesEach, int cap) throws IOException {
        return checkCount(what, unit, in.readInt(), bytesEach, cap);
    }

    /** Checks a count (read or computed from a shape) as {@link #readCount} does; returns it as an int. */
    public int checkCount(String what, String unit, long count, int bytesEach, int cap) throws IOException {
        if (count < 0) {
            throw corrupt(what + " declares a negative number of " + unit + " (" + count + ")");
        }
        if (count > remaining() / bytesEach) {
            throw corrupt(what + " declares " + count + " " + unit + " but the entry has " + remaining()
                    + " bytes left");
        }
        if (count > cap) {
            throw corrupt(what + " declares " + count + " " + unit + ", more than the limit of " + cap);
        }
        return (int) count;
    }

    public int readInt() throws IOException {
        return in.readInt();
    }

    public long readLong() throws IOException {
        return in.readLong();
    }

    public float readFloat() throws IOException {
        return in.readFloat();
    }

    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    /** {@link DataInputStream#readUTF}: its 2-byte length caps a string at 64 KiB. */
    public String readUTF() throws IOException {
        return in.readUTF();
    }

    /** An error that names the entry. */
    public IOException corrupt(String message) {
        return new IOException(where + ": " + message);
    }
}
