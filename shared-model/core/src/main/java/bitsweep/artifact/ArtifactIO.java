package bitsweep.artifact;

import bitsweep.io.AtomicFiles;
import bitsweep.io.BoundedZip;
import bitsweep.io.EntryInput;
import bitsweep.io.Json;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes {@link FixedGateArtifact}s as a zip: {@code artifact.json} (the header) and one
 * {@code tensors/<key>.f32} entry per tensor (int32 rank, int64 dims, little-endian float32 data).
 * Writes are atomic.
 *
 * <p>Artifacts arrive from workers, so reading trusts nothing in the file: entries are bounded as
 * they inflate ({@link #LIMITS}) and every tensor's declared size is checked against the bytes its
 * entry really has before its array is allocated.
 */
public final class ArtifactIO {

    public static final String FILE_EXTENSION = ".bbfg";
    private static final String HEADER = "artifact.json";
    private static final String TENSOR_DIR = "tensors/";
    /**
     * Reading limits. A ResNet-18 artifact has ~100 tensors and ~47 MB of float32 weights; the caps
     * (10 000 entries, an entry up to the largest byte array, 4 GiB in all) leave room for far larger
     * networks while keeping a forged file from exhausting memory.
     */
    static final BoundedZip.Limits LIMITS = new BoundedZip.Limits(10_000, BoundedZip.MAX_ARRAY_BYTES, 4L << 30);
    /** Elements of one tensor: the largest ResNet-18 tensor has 2.4 M; 2^28 float32 is 1 GiB. */
    static final int MAX_TENSOR_ELEMENTS = 1 << 28;
    /** Rank of a tensor: weights are at most 4-D. */
    static final int MAX_RANK = 8;

    private ArtifactIO() {
    }

    public static void write(FixedGateArtifact artifact, Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.putNextEntry(new ZipEntry(HEADER));
            zip.write(Json.PRETTY.writeValueAsBytes(artifact));
            zip.closeEntry();
            for (Map.Entry<String, Tensor> e : artifact.tensors().entrySet()) {
                zip.putNextEntry(new ZipEntry(TENSOR_DIR + e.getKey() + ".f32"));
                zip.write(encode(e.getValue()));
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    public static FixedGateArtifact read(Path file) throws IOException {
        return read(file, LIMITS);
    }

    /** {@link #read(Path)} with other limits (tests use small ones). */
    static FixedGateArtifact read(Path file, BoundedZip.Limits limits) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "fixed-gate artifact not found");
        }
        FixedGateArtifact[] headers = new FixedGateArtifact[1];
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try {
            BoundedZip.read(file, limits, (name, bytes) -> {
                if (name.equals(HEADER)) {
                    headers[0] = Json.TOLERANT_READER.forType(FixedGateArtifact.class).readValue(bytes);
                } else if (name.startsWith(TENSOR_DIR) && name.endsWith(".f32")) {
                    String key = name.substring(TENSOR_DIR.length(), name.length() - 4);
                    tensors.put(key, decode(bytes, file, name));
                }
            });
        } catch (ZipException e) {
            throw new IOException(file + ": not a BitSweep fixed-gate artifact (bad zip: " + e.getMessage() + ")", e);
        }
        FixedGateArtifact header = headers[0];
        if (header == null) {
            throw new IOException(file + ": not a BitSweep fixed-gate artifact (no " + HEADER + " entry)");
        }
        if (header.formatVersion() != FixedGateArtifact.FORMAT_VERSION) {
            throw new IOException(file + ": artifact format " + header.formatVersion() + " is not supported (expected "
                    + FixedGateArtifact.FORMAT_VERSION + ")");
        }
        return header.withTensors(tensors);
    }

    private static byte[] encode(Tensor t) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + t.data().length * 4);
        DataOutputStream header = new DataOutputStream(bytes);
        header.writeInt(t.shape().length);
        for (long d : t.shape()) {
            header.writeLong(d);
        }
        ByteBuffer data = ByteBuffer.allocate(t.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(t.data());
        header.write(data.array());
        header.flush();
        return bytes.toByteArray();
    }

    /** Reads what {@link #encode} wrote, checking the declared size before allocating the data. */
    private static Tensor decode(byte[] bytes, Path file, String entry) throws IOException {
        EntryInput in = new EntryInput(bytes, file + "!" + entry);
        String tensor = "tensor '" + entry.substring(TENSOR_DIR.length(), entry.length() - 4) + "'";
        try {
            long[] shape = new long[in.readCount(tensor, "dimensions", Long.BYTES, MAX_RANK)];
            long n = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = in.readLong();
                if (shape[i] < 0) {
                    throw in.corrupt(tensor + " has a negative dimension " + shape[i]);
                }
                // saturate instead of overflowing, so a huge shape fails the check below
                n = shape[i] == 0 || n <= Long.MAX_VALUE / shape[i] ? n * shape[i] : Long.MAX_VALUE;
            }
            int count = in.checkCount(tensor, "elements", n, Float.BYTES, MAX_TENSOR_ELEMENTS);
            if (in.remaining() != count * Float.BYTES) {
                throw in.corrupt("expected " + count + " floats, found " + in.remaining() / 4.0);
            }
            float[] data = new float[count];
            ByteBuffer.wrap(bytes, bytes.length - in.remaining(), count * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer().get(data);
            return new Tensor(shape, data);
        } catch (EOFException e) {
            throw new IOException(file + "!" + entry + ": truncated tensor header", e);
        }
    }
}
