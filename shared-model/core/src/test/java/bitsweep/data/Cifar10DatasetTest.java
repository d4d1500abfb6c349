package bitsweep.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10DatasetTest {

    @TempDir
    Path dir;

    /** Pixel value (never 0, so padding is recognisable) of channel c, row y, column x of example i. */
    static int pixel(int i, int c, int y, int x) {
        return 1 + (i * 31 + c * 67 + y * 7 + x * 3) % 255;
    }

    /** Records first..first+n-1 in the real binary layout, label = i mod 10. */
    static byte[] records(int first, int n) {
        byte[] out = new byte[n * 3073];
        for (int r = 0; r < n; r++) {
            int i = first + r;
            out[r * 3073] = (byte) (i % 10);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        out[r * 3073 + 1 + c * 1024 + y * 32 + x] = (byte) pixel(i, c, y, x);
                    }
                }
            }
        }
        return out;
    }

    private void writeTrain(Path folder, int perFile) throws IOException {
        Files.createDirectories(folder);
        for (int b = 1; b <= 5; b++) {
            Files.write(folder.resolve("data_batch_" + b + ".bin"), records((b - 1) * perFile, perFile));
        }
    }

    @Test
    void trainSplitConcatenatesTheFiveBatchesWithExactPixelsAndLabels() throws IOException {
        writeTrain(dir, 3);
        try (ImageDataset ds = Datasets.open("cifar10", dir, true)) {
            assertEquals(15, ds.size());
            float[] img = new float[3072];
            for (int i = 0; i < 15; i++) {
                ds.read(i, img, 0, null);
                assertEquals(i % 10, ds.label(i));
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < 32; y++) {
                        for (int x = 0; x < 32; x++) {
                            assertEquals(pixel(i, c, y, x) / 255f, img[c * 1024 + y * 32 + x], 0f);
                        }
                    }
                }
            }
        }
    }

    @Test
    void testSplitIsFoundInsideTheTarballFolder() throws IOException {
        Path folder = dir.resolve("cifar-10-batches-bin");
        Files.createDirectories(folder);
        Files.write(folder.resolve("test_batch.bin"), records(0, 4));
        try (ImageDataset ds = Datasets.open("cifar10", dir, false)) {
            assertEquals(4, ds.size());
            assertEquals(3, ds.label(3));
        }
    }

    @Test
    void evalTransformIsDeterministicAndTrainCropsAreAPaddedWindowPossiblyFlipped() throws IOException {
        Files.write(dir.resolve("test_batch.bin"), records(0, 1));
        byte[] raw = records(0, 1);
        try (ImageDataset ds = Datasets.open("cifar10", dir, false)) {
            float[] a = new float[3072];
            float[] b = new float[3072];
            ds.read(0, a, 0, null);
            ds.read(0, b, 0, null);
            assertArrayEquals(a, b);

            Set<Integer> tops = new HashSet<>();
            Set<Integer> lefts = new HashSet<>();
            Set<Boolean> flips = new HashSet<>();
            Random rng = new Random(5);
            for (int draw = 0; draw < 400; draw++) {
                ds.read(0, a, 0, rng);
                int[] match = findWindow(raw, a);
                assertTrue(match != null, "draw " + draw + " is a padded 32x32 window (offsets 0..8)");
                tops.add(match[0]);
                lefts.add(match[1]);
                flips.add(match[2] == 1);
            }
            assertEquals(9, tops.size(), "all vertical offsets 0..8 occur");
            assertEquals(9, lefts.size(), "all horizontal offsets 0..8 occur");
            assertEquals(2, flips.size(), "both flipped and unflipped occur");
        }
    }

    private static int[] findWindow(byte[] raw, float[] img) {
        float[] candidate = new float[3072];
        for (int top = 0; top <= 8; top++) {
            for (int left = 0; left <= 8; left++) {
                for (int flip = 0; flip < 2; flip++) {
                    Cifar10Dataset.cropAndFlip(raw, 1, candidate, 0, top, left, flip == 1);
                    if (Arrays.equals(candidate, img)) {
                        return new int[] {top, left, flip};
                    }
                }
            }
        }
        return null;
    }

    @Test
    void cornerCropHasFourZeroRowsAndColumnsOfPadding() {
        byte[] raw = records(0, 1);
        float[] img = new float[3072];
        Cifar10Dataset.cropAndFlip(raw, 1, img, 0, 0, 0, false);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    float v = img[c * 1024 + y * 32 + x];
                    if (y < 4 || x < 4) {
                        assertEquals(0f, v, "padding at c" + c + " y" + y + " x" + x);
                    } else {
                        assertEquals(pixel(0, c, y - 4, x - 4) / 255f, v, 0f);
                    }
                }
            }
        }
    }

    @Test
    void flipMirrorsTheWindowLeftToRight() {
        byte[] raw = records(2, 1);
        float[] plain = new float[3072];
        float[] flipped = new float[3072];
        Cifar10Dataset.cropAndFlip(raw, 1, plain, 0, 4, 4, false);
        Cifar10Dataset.cropAndFlip(raw, 1, flipped, 0, 4, 4, true);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    assertEquals(plain[c * 1024 + y * 32 + x], flipped[c * 1024 + y * 32 + 31 - x]);
                }
            }
        }
    }

    @Test
    void truncatedBatchFileIsReportedWithRecordSize() throws IOException {
        writeTrain(dir, 2);
        Path third = dir.resolve("data_batch_3.bin");
        Files.write(third, Arrays.copyOf(records(0, 2), 2 * 3073 - 10));
        IOException e = assertThrows(IOException.class, () -> Datasets.open("cifar10", dir, true));
        assertTrue(e.getMessage().contains("data_batch_3.bin") && e.getMessage().contains("3073-byte"),
                e.getMessage());
    }

    @Test
    void labelOutOfRangeIsReportedWithRecordNumber() throws IOException {
        byte[] data = records(0, 3);
        data[2 * 3073] = 42;
        Files.write(dir.resolve("test_batch.bin"), data);
        IOException e = assertThrows(IOException.class, () -> Datasets.open("cifar10", dir, false));
        assertTrue(e.getMessage().contains("test_batch.bin") && e.getMessage().contains("record 2 has label 42"),
                e.getMessage());
    }

    @Test
    void missingBatchFileIsNamed() throws IOException {
        writeTrain(dir, 1);
        Files.delete(dir.resolve("data_batch_5.bin"));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Datasets.open("cifar10", dir, true));
        assertTrue(e.getMessage().contains("data_batch_5.bin"), e.getMessage());
        assertTrue(e.getMessage().contains("bitsweep download cifar10"), e.getMessage());
    }
}
