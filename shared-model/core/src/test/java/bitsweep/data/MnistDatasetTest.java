package bitsweep.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistDatasetTest {

    @TempDir
    Path dir;

    /** Writes an IDX image file of {@code n} 28×28 images whose pixel j of image i is (i·7 + j) mod 256. */
    static byte[] imageFile(int n) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * 784);
        b.putInt(0x803).putInt(n).putInt(28).putInt(28);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 784; j++) {
                b.put((byte) ((i * 7 + j) % 256));
            }
        }
        return b.array();
    }

    static byte[] labelFile(int n) {
        ByteBuffer b = ByteBuffer.allocate(8 + n);
        b.putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            b.put((byte) (i % 10));
        }
        return b.array();
    }

    private void write(Path file, byte[] content, boolean gzip) throws IOException {
        Files.createDirectories(file.getParent());
        if (!gzip) {
            Files.write(file, content);
            return;
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(Path.of(file + ".gz")))) {
            out.write(content);
        }
    }

    private void writeSplit(Path folder, String prefix, int n, boolean gzip) throws IOException {
        write(folder.resolve(prefix + "-images-idx3-ubyte"), imageFile(n), gzip);
        write(folder.resolve(prefix + "-labels-idx1-ubyte"), labelFile(n), gzip);
    }

    private static void assertExample(ImageDataset ds, int i) {
        float[] dst = new float[1 + 784];
        ds.read(i, dst, 1, null);
        for (int j = 0; j < 784; j++) {
            assertEquals(((i * 7 + j) % 256) / 255f, dst[1 + j], 0f, "pixel " + j);
        }
        assertEquals(i % 10, ds.label(i));
    }

    @Test
    void rawFilesGivePixelsScaledToUnitIntervalAndLabels() throws IOException {
        writeSplit(dir, "train", 5, false);
        try (ImageDataset ds = Datasets.open("mnist", dir, true)) {
            assertEquals(5, ds.size());
            assertEquals(DatasetInfo.MNIST, ds.info());
            for (int i = 0; i < 5; i++) {
                assertExample(ds, i);
            }
        }
    }

    @Test
    void gzipFilesInMnistSubfolderReadTheSameAsRaw() throws IOException {
        writeSplit(dir.resolve("mnist"), "t10k", 4, true);
        try (ImageDataset ds = Datasets.open("mnist", dir, false)) {
            assertEquals(4, ds.size());
            for (int i = 0; i < 4; i++) {
                assertExample(ds, i);
            }
        }
    }

    @Test
    void noAugmentationEvenWithARandomGenerator() throws IOException {
        writeSplit(dir, "train", 3, false);
        try (ImageDataset ds = Datasets.open("mnist", dir, true)) {
            float[] plain = new float[784];
            float[] augmented = new float[784];
            ds.read(2, plain, 0, null);
            ds.read(2, augmented, 0, new Random(1));
            assertArrayEquals(plain, augmented);
        }
    }

    @Test
    void missingFileNamesItAndTellsHowToGetMnist() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> Datasets.open("mnist", dir, true));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
        assertTrue(e.getMessage().contains("scripts/get-mnist.sh"), e.getMessage());
        assertTrue(e.getMessage().contains("bitsweep download mnist"), e.getMessage());
    }

    @Test
    void wrongMagicNumberIsReportedWithTheFile() throws IOException {
        writeSplit(dir, "train", 2, false);
        Path labels = dir.resolve("train-labels-idx1-ubyte");
        Files.write(dir.resolve("train-images-idx3-ubyte"), labelFile(2)); // a label file in the image slot
        IOException e = assertThrows(IOException.class, () -> Datasets.open("mnist", dir, true));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
        assertTrue(e.getMessage().contains("expected 0x00000803"), e.getMessage());
        assertTrue(Files.exists(labels));
    }

    @Test
    void truncatedImageFileIsReported() throws IOException {
        writeSplit(dir, "train", 3, false);
        byte[] full = imageFile(3);
        Files.write(dir.resolve("train-images-idx3-ubyte"), java.util.Arrays.copyOf(full, full.length - 100));
        IOException e = assertThrows(IOException.class, () -> Datasets.open("mnist", dir, true));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedGzipStreamIsReported() throws IOException {
        writeSplit(dir, "train", 3, true);
        Path gz = dir.resolve("train-images-idx3-ubyte.gz");
        byte[] full = Files.readAllBytes(gz);
        Files.write(gz, java.util.Arrays.copyOf(full, full.length / 2));
        IOException e = assertThrows(IOException.class, () -> Datasets.open("mnist", dir, true));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz"), e.getMessage());
    }

    @Test
    void wrongImageDimensionsAreReported() throws IOException {
        writeSplit(dir, "train", 1, false);
        ByteBuffer b = ByteBuffer.allocate(16 + 32 * 32);
        b.putInt(0x803).putInt(1).putInt(32).putInt(32);
        Files.write(dir.resolve("train-images-idx3-ubyte"), b.array());
        IOException e = assertThrows(IOException.class, () -> Datasets.open("mnist", dir, true));
        assertTrue(e.getMessage().contains("32x32, expected 28x28"), e.getMessage());
    }

    @Test
    void imageAndLabelCountMismatchIsReported() throws IOException {
        writeSplit(dir, "train", 3, false);
        Files.write(dir.resolve("train-labels-idx1-ubyte"), labelFile(4));
        IOException e = assertThrows(IOException.class, () -> Datasets.open("mnist", dir, true));
        assertTrue(e.getMessage().contains("4 labels") && e.getMessage().contains("3 images"), e.getMessage());
    }

    @Test
    void labelOutOfRangeIsReportedWithItsIndex() throws IOException {
        writeSplit(dir, "train", 3, false);
        byte[] labels = labelFile(3);
        labels[8 + 2] = 10;
        Files.write(dir.resolve("train-labels-idx1-ubyte"), labels);
        IOException e = assertThrows(IOException.class, () -> Datasets.open("mnist", dir, true));
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte")
                && e.getMessage().contains("label 10 at index 2"), e.getMessage());
    }

    @Test
    void realMnistHasStandardSizesAndBalancedLabels() throws IOException {
        Path mnist = Path.of(System.getProperty("bitsweep.repoRoot", ".")).resolve("data/mnist");
        assertTrue(Files.isDirectory(mnist), "real MNIST not present at " + mnist + " (run scripts/get-mnist.sh; the README test command does)");
        try (ImageDataset train = Datasets.open("mnist", mnist, true);
             ImageDataset test = Datasets.open("mnist", mnist, false)) {
            assertEquals(60_000, train.size());
            assertEquals(10_000, test.size());
            int[] histogram = new int[10];
            for (int i = 0; i < train.size(); i++) {
                histogram[train.label(i)]++;
            }
            // The real training split has 5,421 (digit 5) to 6,742 (digit 1) examples per class.
            assertEquals(5421, java.util.Arrays.stream(histogram).min().orElseThrow());
            assertEquals(6742, java.util.Arrays.stream(histogram).max().orElseThrow());
            assertEquals(7, test.label(0)); // the well-known first test digit
            float[] img = new float[784];
            test.read(0, img, 0, null);
            double mean = 0;
            for (float v : img) {
                assertTrue(v >= 0f && v <= 1f);
                mean += v / 784;
            }
            assertTrue(mean > 0.05 && mean < 0.3, "mean pixel " + mean);
        }
    }
}
