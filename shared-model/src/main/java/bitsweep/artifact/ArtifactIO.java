package bitsweep.artifact;

import bitsweep.io.AtomicFiles;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes {@link FixedGateArtifact}s as a zip: {@code artifact.json} (the header) and one
 * {@code tensors/<key>.f32} entry per tensor (int32 rank, int64 dims, little-endian float32 data).
 * Writes are atomic.
 */
public final class ArtifactIO {

    public static final String FILE_EXTENSION = ".bbfg";
    private static final String HEADER = "artifact.json";
    private static final String TENSOR_DIR = "tensors/";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ArtifactIO() {
    }

    public static void write(FixedGateArtifact artifact, Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.putNextEntry(new ZipEntry(HEADER));
            zip.write(JSON.writeValueAsBytes(artifact));
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
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "fixed-gate artifact not found");
        }
        FixedGateArtifact header = null;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                byte[] bytes = zip.readAllBytes();
                if (entry.getName().equals(HEADER)) {
                    header = JSON.readValue(bytes, FixedGateArtifact.class);
                } else if (entry.getName().startsWith(TENSOR_DIR) && entry.getName().endsWith(".f32")) {
                    String key = entry.getName().substring(TENSOR_DIR.length(), entry.getName().length() - 4);
                    tensors.put(key, decode(bytes, file, entry.getName()));
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new IOException(file + ": not a BitSweep fixed-gate artifact (bad zip: " + e.getMessage() + ")", e);
        }
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

    private static Tensor decode(byte[] bytes, Path file, String entry) throws IOException {
        try (InputStream in = new java.io.ByteArrayInputStream(bytes);
             DataInputStream din = new DataInputStream(in)) {
            int rank = din.readInt();
            if (rank < 0 || rank > 8) {
                throw new IOException(file + "!" + entry + ": bad tensor rank " + rank);
            }
            long[] shape = new long[rank];
            long n = 1;
            for (int i = 0; i < rank; i++) {
                shape[i] = din.readLong();
                n *= shape[i];
            }
            int headerBytes = 4 + 8 * rank;
            if (bytes.length - headerBytes != n * 4) {
                throw new IOException(file + "!" + entry + ": expected " + n + " floats, found "
                        + (bytes.length - headerBytes) / 4.0);
            }
            float[] data = new float[(int) n];
            ByteBuffer.wrap(bytes, headerBytes, (int) n * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
            return new Tensor(shape, data);
        }
    }
}
