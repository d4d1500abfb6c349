package bitsweep.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Counts read from a file are checked against the bytes left and a cap before anyone allocates. */
class EntryInputTest {

    private static EntryInput entry(int count, int followingBytes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(count);
        out.write(new byte[followingBytes]);
        return new EntryInput(bytes.toByteArray(), "f.zip!e");
    }

    @Test
    void countTheEntryHasBytesForIsAccepted() throws IOException {
        assertEquals(300, entry(300, 1200).readCount("tensor 'w'", "elements", 4, 1000));
    }

    @Test
    void countLargerThanTheBytesLeftIsRefused() throws IOException {
        EntryInput in = entry(Integer.MAX_VALUE, 1200);
        IOException e = assertThrows(IOException.class, () -> in.readCount("tensor 'w'", "elements", 4, 1 << 28));
        assertEquals("f.zip!e: tensor 'w' declares 2147483647 elements but the entry has 1200 bytes left",
                e.getMessage());
    }

    @Test
    void countAboveTheCapIsRefusedEvenWhenTheBytesAreThere() throws IOException {
        EntryInput in = entry(300, 1200);
        IOException e = assertThrows(IOException.class, () -> in.readCount("tensor 'w'", "elements", 4, 299));
        assertEquals("f.zip!e: tensor 'w' declares 300 elements, more than the limit of 299", e.getMessage());
    }

    @Test
    void negativeCountIsRefused() throws IOException {
        EntryInput in = entry(-1, 8);
        IOException e = assertThrows(IOException.class, () -> in.readCount("slot 'w'", "dimensions", 8, 8));
        assertEquals("f.zip!e: slot 'w' declares a negative number of dimensions (-1)", e.getMessage());
    }
}
