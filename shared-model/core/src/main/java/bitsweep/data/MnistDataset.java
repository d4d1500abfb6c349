package bitsweep.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Random;

/**
 * MNIST from the four IDX files ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-…}), raw or gzip-compressed, in {@code dataDir} or {@code dataDir/mnist}. The whole
 * split is held as bytes (47 MB for training) so a read is a table lookup; no augmentation.
 */
public final class MnistDataset implements ImageDataset {

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;
    static final int ROWS = 28;
    static final int COLS = 28;
    private static final int IMAGES_HEADER = 16;
    private static final int LABELS_HEADER = 8;
    private static final float[] TO_UNIT = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            TO_UNIT[i] = i / 255f;
        }
    }

    private final byte[] pixels; // includes the 16-byte header; example i starts at 16 + i·784
    private final byte[] labels; // includes the 8-byte header
    private final int size;

    private MnistDataset(byte[] pixels, byte[] labels, int size) {
        this.pixels = pixels;
        this.labels = labels;
        this.size = size;
    }

    /** Opens the training (60k) or test (10k) split. */
    public static MnistDataset open(Path dataDir, boolean train) throws IOException {
        String prefix = train ? "train" : "t10k";
        Path imageFile = locate(dataDir, prefix + "-images-idx3-ubyte");
        Path labelFile = locate(dataDir, prefix + "-labels-idx1-ubyte");
        byte[] images = DataFiles.readAll(imageFile);
        byte[] labels = DataFiles.readAll(labelFile);

        int count = checkImages(imageFile, images);
        int labelCount = checkLabels(labelFile, labels);
        if (count != labelCount) {
            throw new IOException(labelFile + ": holds " + labelCount + " labels but " + imageFile
                    + " holds " + count + " images; expected the same count");
        }
        return new MnistDataset(images, labels, count);
    }

    private static Path locate(Path dataDir, String name) throws IOException {
        Path found = DataFiles.find(dataDir, name, true, "", "mnist");
        if (found == null) {
            throw new NoSuchFileException(dataDir.resolve(name).toString(), null,
                    "MNIST file not found (looked for " + name + "[.gz] in " + dataDir + " and "
                            + dataDir.resolve("mnist")
                            + "); run scripts/get-mnist.sh or `bitsweep download mnist --data-dir "
                            + dataDir + "`");
        }
        return found;
    }

    private static int checkImages(Path file, byte[] data) throws IOException {
        // IDX is big-endian; the magic number is checked first so a wrong file is named as such.
        if (data.length < 4) {
            throw new IOException(file + ": " + data.length + " bytes, too short for an IDX header (truncated file)");
        }
        int magic = ByteBuffer.wrap(data).getInt();
        if (magic != IMAGES_MAGIC) {
            throw new IOException(String.format("%s: magic number 0x%08X, expected 0x%08X "
                    + "(IDX unsigned-byte 3-D image file)", file, magic, IMAGES_MAGIC));
        }
        if (data.length < IMAGES_HEADER) {
            throw new IOException(file + ": " + data.length + " bytes, shorter than the "
                    + IMAGES_HEADER + "-byte IDX image header (truncated file)");
        }
        ByteBuffer header = ByteBuffer.wrap(data, 4, IMAGES_HEADER - 4);
        int count = header.getInt();
        int rows = header.getInt();
        int cols = header.getInt();
        if (rows != ROWS || cols != COLS) {
            throw new IOException(file + ": images are " + rows + "x" + cols + ", expected "
                    + ROWS + "x" + COLS);
        }
        if (count < 0) {
            throw new IOException(file + ": negative image count " + count);
        }
        long expected = IMAGES_HEADER + (long) count * ROWS * COLS;
        if (data.length != expected) {
            throw new IOException(file + ": " + data.length + " bytes, expected " + expected
                    + " for " + count + " images of " + ROWS + "x" + COLS
                    + (data.length < expected ? " (truncated file)" : " (trailing bytes)"));
        }
        return count;
    }

    private static int checkLabels(Path file, byte[] data) throws IOException {
        // IDX is big-endian; the magic number is checked first so a wrong file is named as such.
        if (data.length < 4) {
            throw new IOException(file + ": " + data.length + " bytes, too short for an IDX header (truncated file)");
        }
        int magic = ByteBuffer.wrap(data).getInt();
        if (magic != LABELS_MAGIC) {
            throw new IOException(String.format("%s: magic number 0x%08X, expected 0x%08X "
                    + "(IDX unsigned-byte 1-D label file)", file, magic, LABELS_MAGIC));
        }
        if (data.length < LABELS_HEADER) {
            throw new IOException(file + ": " + data.length + " bytes, shorter than the "
                    + LABELS_HEADER + "-byte IDX label header (truncated file)");
        }
        ByteBuffer header = ByteBuffer.wrap(data, 4, LABELS_HEADER - 4);
        int count = header.getInt();
        if (count < 0) {
            throw new IOException(file + ": negative label count " + count);
        }
        long expected = LABELS_HEADER + (long) count;
        if (data.length != expected) {
            throw new IOException(file + ": " + data.length + " bytes, expected " + expected
                    + " for " + count + " labels"
                    + (data.length < expected ? " (truncated file)" : " (trailing bytes)"));
        }
        for (int i = 0; i < count; i++) {
            int label = data[LABELS_HEADER + i] & 0xFF;
            if (label >= DatasetInfo.MNIST.numClasses()) {
                throw new IOException(file + ": label " + label + " at index " + i
                        + " is out of range; expected 0.." + (DatasetInfo.MNIST.numClasses() - 1));
            }
        }
        return count;
    }

    @Override
    public DatasetInfo info() {
        return DatasetInfo.MNIST;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int label(int index) {
        return labels[LABELS_HEADER + java.util.Objects.checkIndex(index, size)] & 0xFF;
    }

    @Override
    public void read(int index, float[] dst, int offset, Random augment) {
        int src = IMAGES_HEADER + java.util.Objects.checkIndex(index, size) * ROWS * COLS;
        for (int i = 0; i < ROWS * COLS; i++) {
            dst[offset + i] = TO_UNIT[pixels[src + i] & 0xFF];
        }
    }
}
