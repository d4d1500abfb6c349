package bitsweep.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.io.BoundedZip;
import bitsweep.io.ZipFixtures;
import bitsweep.train.optim.GroupedOptimizer.SlotSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints come from other nodes: a forged one is refused before it costs memory. */
class CheckpointIOTest {
    private static final BoundedZip.Limits SMALL = new BoundedZip.Limits(16, 64 * 1024, 256 * 1024);

    @TempDir
    Path dir;

    private Path honest() throws IOException {
        Map<String, SlotSnapshot> slots = new LinkedHashMap<>();
        slots.put("w", new SlotSnapshot(3, new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}, new float[6]));
        slots.put("b", new SlotSnapshot(3, new long[] {2}, new float[] {7, 8}, null));
        Checkpoint c = new Checkpoint("t", null, Checkpoint.PHASE_BAYESIAN_BITS, 1, 0, List.of(), null,
                new byte[] {1, 2, 3}, null, slots, 1.5);
        Path file = dir.resolve("honest.ckpt");
        CheckpointIO.write(file, c);
        return file;
    }

    /** optimizer.bin with one slot {@code w} of rank {@code rank} whose buffer declares {@code floats}. */
    private static byte[] optimizerState(int rank, int floats, int floatsPresent) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(1);
        out.writeUTF("w");
        out.writeLong(3);
        out.writeInt(rank);
        for (int d = 0; d < Math.min(rank, 1); d++) {
            out.writeLong(floatsPresent);
        }
        out.writeInt(floats);
        for (int i = 0; i < floatsPresent; i++) {
            out.writeFloat(i);
        }
        out.writeBoolean(false);
        out.flush();
        return bytes.toByteArray();
    }

    @Test
    void honestCheckpointReadsBackUnderTheDefaultLimits() throws IOException {
        Checkpoint back = CheckpointIO.read(honest());
        assertEquals("t", back.trialId());
        assertArrayEquals(new byte[] {1, 2, 3}, back.modelParameters());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, back.optimizerSlots().get("w").first());
        assertArrayEquals(new long[] {2}, back.optimizerSlots().get("b").shape());
    }

    @Test
    void zipBombCheckpointIsRefusedWithTheEntryAndTheLimitNamed() throws IOException {
        Path bomb = ZipFixtures.replace(honest(), dir.resolve("bomb.ckpt"), "model.params", null, 16L << 20);
        IOException e = assertThrows(IOException.class, () -> CheckpointIO.read(bomb, SMALL));
        assertEquals("entry model.params of " + bomb + " inflates past 65536 bytes (the limit for one entry)",
                e.getMessage());
    }

    @Test
    void forgedSlotLengthIsRefusedBeforeAllocation() throws IOException {
        // unchecked, new float[Integer.MAX_VALUE] throws OutOfMemoryError, which assertThrows does not accept
        Path forged = ZipFixtures.replace(honest(), dir.resolve("forged.ckpt"), "optimizer.bin",
                optimizerState(1, Integer.MAX_VALUE, 300), 0);
        IOException e = assertThrows(IOException.class, () -> CheckpointIO.read(forged));
        assertEquals(forged + "!optimizer.bin: slot 'w' declares 2147483647 elements but the entry has 1201 bytes"
                + " left", e.getMessage());
    }

    @Test
    void forgedRankIsRefusedBeforeAllocation() throws IOException {
        Path forged = ZipFixtures.replace(honest(), dir.resolve("rank.ckpt"), "optimizer.bin",
                optimizerState(Integer.MAX_VALUE, 300, 300), 0);
        IOException e = assertThrows(IOException.class, () -> CheckpointIO.read(forged));
        assertTrue(e.getMessage().contains("slot 'w' declares 2147483647 dimensions but the entry has"),
                e.getMessage());
    }

    @Test
    void truncatedOptimizerStateIsReportedAsSuch() throws IOException {
        byte[] state = optimizerState(1, 300, 300);
        byte[] cut = Arrays.copyOf(state, state.length - 10);
        Path forged = ZipFixtures.replace(honest(), dir.resolve("cut.ckpt"), "optimizer.bin", cut, 0);
        IOException e = assertThrows(IOException.class, () -> CheckpointIO.read(forged));
        assertTrue(e.getMessage().contains("slot 'w' declares 300 elements but the entry has 1191 bytes left"),
                e.getMessage());
    }

    @Test
    void duplicateEntryIsRefused() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>(ZipFixtures.entries(honest()));
        entries.put("model.paramz", new byte[] {9});
        Path file = ZipFixtures.write(dir.resolve("dup.ckpt"), entries, 0);
        // ZipOutputStream will not write a name twice; rename the extra entry in the raw bytes
        String raw = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        Files.write(file, raw.replace("model.paramz", "model.params").getBytes(StandardCharsets.ISO_8859_1));
        IOException e = assertThrows(IOException.class, () -> CheckpointIO.read(file));
        assertEquals(file + ": not a BitSweep checkpoint (entry model.params appears twice)", e.getMessage());
    }
}
