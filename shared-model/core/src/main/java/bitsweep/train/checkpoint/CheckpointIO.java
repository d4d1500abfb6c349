package bitsweep.train.checkpoint;

import bitsweep.io.AtomicFiles;
import bitsweep.io.BoundedZip;
import bitsweep.io.EntryInput;
import bitsweep.io.Json;
import bitsweep.train.optim.GroupedOptimizer.SlotSnapshot;
import bitsweep.trial.EpochMetrics;
import bitsweep.trial.TrialConfig;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipOutputStream;

/**
 * Checkpoint file format ({@code .ckpt}): a zip with {@code checkpoint.json} (the small fields),
 * {@code model.params} and optionally {@code bayesian-bits.params} (DJL {@code saveParameters}
 * streams) and {@code optimizer.bin} (slots: name, step, shape, float32 buffers). Written atomically.
 *
 * <p>Checkpoints travel between nodes, so reading trusts nothing in the file: entries are bounded as
 * they inflate ({@link #LIMITS}) and every length is checked before an array is allocated with it.
 */
public final class CheckpointIO {

    public static final int FORMAT_VERSION = 1;
    private static final String META = "checkpoint.json";
    private static final String MODEL = "model.params";
    private static final String BB_MODEL = "bayesian-bits.params";
    private static final String OPTIMIZER = "optimizer.bin";
    /**
     * Reading limits. A ResNet-18 checkpoint has ~12 M parameters, so model.params is ~50 MB and
     * optimizer.bin (two float32 slots per parameter) ~100 MB; an entry may be ~40× that (the largest
     * byte array, just under 2 GiB) and all entries together 4 GiB, far above any real checkpoint but
     * finite. The format has at most 4 entries.
     */
    static final BoundedZip.Limits LIMITS = new BoundedZip.Limits(16, BoundedZip.MAX_ARRAY_BYTES, 4L << 30);
    /** Elements of one optimizer slot buffer: the largest ResNet-18 tensor has 2.4 M; 2^28 is 1 GiB. */
    static final int MAX_SLOT_ELEMENTS = 1 << 28;
    /** Rank of a slot's shape: parameters are at most 4-D. */
    static final int MAX_RANK = 8;

    private CheckpointIO() {
    }

    /** The JSON part of a checkpoint. */
    record Meta(int formatVersion, String trialId, TrialConfig config, String phase, int epochsDone,
                long fineTuneIterations, List<EpochMetrics> history, Map<String, double[]> gateLogits,
                double wallSeconds) {
    }

    public static void write(Path file, Checkpoint c) throws IOException {
        Meta meta = new Meta(FORMAT_VERSION, c.trialId(), c.config(), c.phase(), c.epochsDone(),
                c.fineTuneIterations(), c.history(), c.gateLogits(), c.wallSeconds());
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            put(zip, META, Json.PRETTY_NON_NULL.writeValueAsBytes(meta));
            put(zip, MODEL, c.modelParameters());
            if (c.bayesianBitsParameters() != null) {
                put(zip, BB_MODEL, c.bayesianBitsParameters());
            }
            put(zip, OPTIMIZER, encodeSlots(c.optimizerSlots()));
            zip.finish();
        });
    }

    public static Checkpoint read(Path file) throws IOException {
        return read(file, LIMITS);
    }

    /** {@link #read(Path)} with other limits (tests use small ones). */
    static Checkpoint read(Path file, BoundedZip.Limits limits) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "checkpoint not found");
        }
        Map<String, byte[]> entries = new HashMap<>();
        try {
            BoundedZip.read(file, limits, (name, content) -> {
                if (entries.put(name, content) != null) {
                    throw new IOException(file + ": not a BitSweep checkpoint (entry " + name + " appears twice)");
                }
            });
        } catch (ZipException e) {
            throw new IOException(file + ": not a BitSweep checkpoint (bad zip: " + e.getMessage() + ")", e);
        }
        for (String required : List.of(META, MODEL, OPTIMIZER)) {
            if (!entries.containsKey(required)) {
                throw new IOException(file + ": not a complete BitSweep checkpoint (missing entry " + required + ")");
            }
        }
        Meta meta;
        try {
            meta = Json.TOLERANT_READER.forType(new TypeReference<Meta>() { }).readValue(entries.get(META));
        } catch (IOException e) {
            throw new IOException(file + "!" + META + ": unreadable checkpoint header: " + e.getMessage(), e);
        }
        if (meta.formatVersion() != FORMAT_VERSION) {
            throw new IOException(file + ": checkpoint format " + meta.formatVersion() + " is not supported (expected "
                    + FORMAT_VERSION + ")");
        }
        return new Checkpoint(meta.trialId(), meta.config(), meta.phase(), meta.epochsDone(),
                meta.fineTuneIterations(), meta.history(), meta.gateLogits(), entries.get(MODEL),
                entries.get(BB_MODEL), decodeSlots(entries.get(OPTIMIZER), file), meta.wallSeconds());
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static byte[] encodeSlots(Map<String, SlotSnapshot> slots) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(slots.size());
            for (Map.Entry<String, SlotSnapshot> e : slots.entrySet()) {
                SlotSnapshot s = e.getValue();
                out.writeUTF(e.getKey());
                out.writeLong(s.step());
                out.writeInt(s.shape().length);
                for (long d : s.shape()) {
                    out.writeLong(d);
                }
                writeFloats(out, s.first());
                out.writeBoolean(s.second() != null);
                if (s.second() != null) {
                    writeFloats(out, s.second());
                }
            }
        }
        return bytes.toByteArray();
    }

    /** Reads what {@link #encodeSlots} wrote, checking every count before allocating with it. */
    private static Map<String, SlotSnapshot> decodeSlots(byte[] bytes, Path file) throws IOException {
        Map<String, SlotSnapshot> slots = new LinkedHashMap<>();
        EntryInput in = new EntryInput(bytes, file + "!" + OPTIMIZER);
        try {
            // smallest slot: UTF length (2), step (8), rank (4), float count (4), has-second flag (1)
            int n = in.readCount("the optimizer state", "slots", 2 + 8 + 4 + 4 + 1, Integer.MAX_VALUE);
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                String slot = "slot '" + name + "'";
                long step = in.readLong();
                long[] shape = new long[in.readCount(slot, "dimensions", 8, MAX_RANK)];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = in.readLong();
                }
                float[] first = readFloats(in, slot);
                float[] second = in.readBoolean() ? readFloats(in, slot + " (second buffer)") : null;
                slots.put(name, new SlotSnapshot(step, shape, first, second));
            }
        } catch (EOFException | UTFDataFormatException e) {
            // counts are checked by EntryInput (its errors name the entry already); this is the rest
            throw new IOException(file + "!" + OPTIMIZER + ": truncated or corrupt optimizer state", e);
        }
        return slots;
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        for (float v : values) {
            out.writeFloat(v);
        }
    }

    private static float[] readFloats(EntryInput in, String slot) throws IOException {
        float[] v = new float[in.readCount(slot, "elements", Float.BYTES, MAX_SLOT_ELEMENTS)];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readFloat();
        }
        return v;
    }
}
