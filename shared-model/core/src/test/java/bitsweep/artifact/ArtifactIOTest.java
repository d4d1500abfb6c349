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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

    /** A forged {@code w} tensor entry, and what the refusal must say after {@code file!entry: }. */
    private static Arguments forged(String behaviour, byte[] entry, String message) {
        return Arguments.of(behaviour, entry, message);
    }

    static Stream<Arguments> forgedTensorEntries() throws IOException {
        ByteArrayOutputStream rankOnly = new ByteArrayOutputStream();
        new DataOutputStream(rankOnly).writeInt(Integer.MAX_VALUE);
        return Stream.of(
                forged("forged tensor length is refused before allocation",
                        tensorEntry(new long[] {Integer.MAX_VALUE}, 1200),
                        "tensor 'w' declares 2147483647 elements but the entry has 1200 bytes left"),
                // 2^32 * 2^32 wraps to 0 in long arithmetic, which matched an empty data section before
                forged("shape whose product overflows is refused",
                        tensorEntry(new long[] {1L << 32, 1L << 32}, 0),
                        "tensor 'w' declares " + Long.MAX_VALUE + " elements but the entry has 0 bytes left"),
                // -2 * -3 = 6 elements: the product alone would look right
                forged("negative dimension is refused",
                        tensorEntry(new long[] {-2, -3}, 24),
                        "tensor 'w' has a negative dimension -2"),
                forged("forged rank is refused",
                        rankOnly.toByteArray(),
                        "tensor 'w' declares 2147483647 dimensions but the entry has 0 bytes left"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgedTensorEntries")
    void forgedTensorEntryIsRefusedNamingTheEntry(String behaviour, byte[] entry, String message) throws IOException {
        Path forged = withTensor(entry);
        IOException e = assertThrows(IOException.class, () -> ArtifactIO.read(forged));
        assertEquals(forged + "!" + W + ": " + message, e.getMessage());
    }
}
