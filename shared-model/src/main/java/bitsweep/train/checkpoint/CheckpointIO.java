package bitsweep.train.checkpoint;

import bitsweep.io.AtomicFiles;
import bitsweep.train.EpochMetrics;
import bitsweep.train.TrialConfig;
import bitsweep.train.optim.GroupedOptimizer.SlotSnapshot;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Checkpoint file format ({@code .ckpt}): a zip with {@code checkpoint.json} (the small fields),
 * {@code model.params} and optionally {@code bayesian-bits.params} (DJL {@code saveParameters}
 * streams) and {@code optimizer.bin} (slots: name, step, shape, float32 buffers). Written atomically.
 */
public final class CheckpointIO {

    public static final int FORMAT_VERSION = 1;
    private static final String META = "checkpoint.json";
    private static final String MODEL = "model.params";
    private static final String BB_MODEL = "bayesian-bits.params";
    private static final String OPTIMIZER = "optimizer.bin";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

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
            put(zip, META, JSON.writeValueAsBytes(meta));
            put(zip, MODEL, c.modelParameters());
            if (c.bayesianBitsParameters() != null) {
                put(zip, BB_MODEL, c.bayesianBitsParameters());
            }
            put(zip, OPTIMIZER, encodeSlots(c.optimizerSlots()));
            zip.finish();
        });
    }

    public static Checkpoint read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "checkpoint not found");
        }
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                entries.put(e.getName(), zip.readAllBytes());
            }
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
            meta = JSON.readValue(entries.get(META), new TypeReference<Meta>() { });
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

    private static Map<String, SlotSnapshot> decodeSlots(byte[] bytes, Path file) throws IOException {
        Map<String, SlotSnapshot> slots = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                long step = in.readLong();
                long[] shape = new long[in.readInt()];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = in.readLong();
                }
                float[] first = readFloats(in);
                float[] second = in.readBoolean() ? readFloats(in) : null;
                slots.put(name, new SlotSnapshot(step, shape, first, second));
            }
        } catch (IOException e) {
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

    private static float[] readFloats(DataInputStream in) throws IOException {
        float[] v = new float[in.readInt()];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readFloat();
        }
        return v;
    }
}
