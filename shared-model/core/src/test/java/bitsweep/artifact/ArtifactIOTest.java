package bitsweep.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import bitsweep.io.BoundedZip;
import bitsweep.io.ZipFixtures;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Artifacts come from workers: a forged one is refused before it costs memory. */
class ArtifactIOTest {
    private static final BoundedZip.Limits SMALL = new BoundedZip.Limits(16, 64 * 1024, 256 * 1024);
    private static final String W = "tensors/w.f32";

    @TempDir
    Path dir;

    private Path honest() throws IOException {
        FixedGateArtifact a = new FixedGateArtifact(FixedGateArtifact.FORMAT_VERSION, "t", "lenet5", "mnist",
                new int[] {1, 28, 28}, 10, List.of(), 0.5, 1.0, null, List.of(),
                Map.of("w", new Tensor(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6})));
        Path file = dir.resolve("honest" + ArtifactIO.FILE_EXTENSION);
        ArtifactIO.write(a, file);
        return file;
    }

    /** A tensor entry as the writer lays it out (int rank, long dims), followed by {@code dataBytes} bytes. */
    private static byte[] tensorEntry(long[] shape, int dataBytes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(shape.length);
        for (long d : shape) {
            out.writeLong(d);
        }
        out.write(new byte[dataBytes]);
        out.flush();
        return bytes.toByteArray();
    }

    private Path withTensor(byte[] entry) throws IOException {
        return ZipFixtures.replace(honest(), dir.resolve("forged" + ArtifactIO.FILE_EXTENSION), W, entry, 0);
    }

    @Test
    void honestArtifactReadsBackUnderTheDefaultLimits() throws IOException {
        Tensor w = ArtifactIO.read(honest()).tensor("w");
        assertArrayEquals(new long[] {2, 3}, w.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, w.data());
    }

    @Test
    void zipBombArtifactIsRefusedWithTheEntryAndTheLimitNamed() throws IOException {
        Path bomb = ZipFixtures.replace(honest(), dir.resolve("bomb.bbfg"), W, null, 16L << 20);
        IOException e = assertThrows(IOException.class, () -> ArtifactIO.read(bomb, SMALL));
        assertEquals("entry " + W + " of " + bomb + " inflates past 65536 bytes (the limit for one entry)",
                e.getMessage());
    }

    @Test
    void forgedTensorLengthIsRefusedBeforeAllocation() throws IOException {
        Path forged = withTensor(tensorEntry(new long[] {Integer.MAX_VALUE}, 1200));
        IOException e = assertThrows(IOException.class, () -> ArtifactIO.read(forged));
        assertEquals(forged + "!" + W + ": tensor 'w' declares 2147483647 elements but the entry has 1200 bytes left",
                e.getMessage());
    }

    @Test
    void shapeWhoseProductOverflowsIsRefused() throws IOException {
        // 2^32 * 2^32 wraps to 0 in long arithmetic, which matched an empty data section before
        Path forged = withTensor(tensorEntry(new long[] {1L << 32, 1L << 32}, 0));
        IOException e = assertThrows(IOException.class, () -> ArtifactIO.read(forged));
        assertEquals(forged + "!" + W + ": tensor 'w' declares " + Long.MAX_VALUE
                + " elements but the entry has 0 bytes left", e.getMessage());
    }

    @Test
    void negativeDimensionIsRefused() throws IOException {
        // -2 * -3 = 6 elements: the product alone would look right
        Path forged = withTensor(tensorEntry(new long[] {-2, -3}, 24));
        IOException e = assertThrows(IOException.class, () -> ArtifactIO.read(forged));
        assertEquals(forged + "!" + W + ": tensor 'w' has a negative dimension -2", e.getMessage());
    }

    @Test
    void forgedRankIsRefused() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DataOutputStream(bytes).writeInt(Integer.MAX_VALUE);
        Path forged = withTensor(bytes.toByteArray());
        IOException e = assertThrows(IOException.class, () -> ArtifactIO.read(forged));
        assertEquals(forged + "!" + W + ": tensor 'w' declares 2147483647 dimensions but the entry has 0 bytes left",
                e.getMessage());
    }
}
