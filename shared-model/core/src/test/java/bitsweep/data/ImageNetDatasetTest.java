package bitsweep.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageNetDatasetTest {

    private static final int PIX = 3 * 224 * 224;
    private static final String[] WNIDS = {"n01440764", "n01443537", "n01484850"};
    private static final int[][] SIZES = {{300, 200}, {180, 260}, {224, 224}};
    private static final int[] COLOURS = {0xC83214, 0x1E8C5A, 0x3C50DC};

    @TempDir
    Path dir;

    private static void writeJpeg(Path file, int w, int h, int rgb) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(img, "jpeg", file.toFile()));
    }

    /** Class c holds two solid images of colour COLOURS[c] in sizes SIZES[c] and its transpose. */
    private void writeTree() throws IOException {
        for (String split : new String[] {"train", "val"}) {
            // created in reverse order: the class list must come out sorted anyway
            for (int c = WNIDS.length - 1; c >= 0; c--) {
                Path folder = dir.resolve(split).resolve(WNIDS[c]);
                writeJpeg(folder.resolve(WNIDS[c] + "_1.JPEG"), SIZES[c][0], SIZES[c][1], COLOURS[c]);
                writeJpeg(folder.resolve(WNIDS[c] + "_2.JPEG"), SIZES[c][1], SIZES[c][0], COLOURS[c]);
            }
        }
    }

    private static void assertSolid(float[] img, int rgb) {
        float[] expected = {((rgb >> 16) & 0xFF) / 255f, ((rgb >> 8) & 0xFF) / 255f, (rgb & 0xFF) / 255f};
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 224 * 224; i++) {
                assertEquals(expected[c], img[c * 224 * 224 + i], 4 / 255f, "channel " + c + " pixel " + i);
            }
        }
    }

    @Test
    void treeGivesSortedClassesLabelsAnd224ImagesInBothTransforms() throws IOException {
        writeTree();
        try (ImageNetDataset ds = (ImageNetDataset) Datasets.open("imagenet", dir, true)) {
            assertEquals(6, ds.size());
            assertEquals(3, ds.info().numClasses());
            assertEquals(224, ds.info().height());
            float[] img = new float[PIX];
            Random rng = new Random(3);
            for (int i = 0; i < ds.size(); i++) {
                int label = ds.label(i);
                assertEquals(i / 2, label);
                assertEquals(WNIDS[label], ds.className(label));
                ds.read(i, img, 0, null);
                assertSolid(img, COLOURS[label]);
                ds.read(i, img, 0, rng);
                assertSolid(img, COLOURS[label]);
            }
        }
    }

    @Test
    void evalTransformIsDeterministicAndTrainTransformIsSeeded() throws IOException {
        Path file = dir.resolve("val/n1/a.JPEG");
        BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                img.setRGB(x, y, ((x * 255 / 319) << 16) | ((y * 255 / 239) << 8) | ((x * y) & 0xFF));
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "jpeg", file.toFile());
        try (ImageDataset ds = Datasets.open("imagenet", dir, false)) {
            float[] a = new float[PIX];
            float[] b = new float[PIX];
            ds.read(0, a, 0, null);
            ds.read(0, b, 0, null);
            assertArrayEquals(a, b);
            ds.read(0, a, 0, new Random(11));
            ds.read(0, b, 0, new Random(11));
            assertArrayEquals(a, b);
        }
    }

    @Test
    void evalResizesShorterSideTo248ThenTakesTheCentre224() {
        // 496×248: the shorter side is already 248, so the crop is the window at left 136, top 12.
        int w = 496;
        int h = 248;
        int[] rgb = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                rgb[y * w + x] = ((x / 2) << 16) | (y << 8);
            }
        }
        float[] out = new float[PIX];
        ImageNetDataset.resizeAndCenterCrop(rgb, w, h, out, 0);
        for (int y = 0; y < 224; y++) {
            for (int x = 0; x < 224; x++) {
                assertEquals(((x + 136) / 2) / 255f, out[y * 224 + x], 1e-6f);
                assertEquals((y + 12) / 255f, out[224 * 224 + y * 224 + x], 1e-6f);
            }
        }
    }

    @Test
    void resamplerAveragesWhenShrinkingAndMirrorsWhenFlipping() {
        // A 1-pixel black/white checkerboard halved must come out mid-grey (antialiased), not aliased.
        int[] board = new int[448 * 448];
        for (int i = 0; i < board.length; i++) {
            board[i] = ((i / 448 + i % 448) % 2 == 0) ? 0xFFFFFF : 0;
        }
        float[] out = new float[PIX];
        ImageResampler.resample(board, 448, 0, 0, 448, 448, 224, 224, 0, 0, 224, 224, false, out, 0);
        for (float v : out) {
            assertEquals(0.5f, v, 0.13f);
        }
        int[] ramp = new int[100 * 50];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = (i % 100) * 2 << 16 | (i / 100) << 8 | 7;
        }
        float[] plain = new float[PIX];
        float[] flipped = new float[PIX];
        ImageResampler.resample(ramp, 100, 10, 5, 60, 40, 224, 224, 0, 0, 224, 224, false, plain, 0);
        ImageResampler.resample(ramp, 100, 10, 5, 60, 40, 224, 224, 0, 0, 224, 224, true, flipped, 0);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 224; y++) {
                for (int x = 0; x < 224; x++) {
                    assertEquals(plain[c * 50176 + y * 224 + x], flipped[c * 50176 + y * 224 + 223 - x]);
                }
            }
        }
    }

    @Test
    void randomResizedCropStaysInsideTheImageWithTorchvisionAreaAndAspectLimits() {
        Random rng = new Random(1);
        int[][] sizes = {{500, 375}, {224, 224}, {64, 480}, {1000, 40}, {333, 500}};
        for (int[] size : sizes) {
            int w = size[0];
            int h = size[1];
            for (int k = 0; k < 2000; k++) {
                CropParams c = CropParams.randomResized(w, h, rng);
                assertTrue(c.left() >= 0 && c.top() >= 0 && c.width() > 0 && c.height() > 0
                        && c.left() + c.width() <= w && c.top() + c.height() <= h, c + " inside " + w + "x" + h);
                double ratio = (double) c.width() / c.height();
                double area = (double) c.width() * c.height() / (w * h);
                boolean centred = c.left() == (w - c.width()) / 2 && c.top() == (h - c.height()) / 2;
                boolean sampled = area >= 0.08 - 0.02 && area <= 1.0 + 0.02 && ratio >= 0.75 * 0.9 && ratio <= 4.0 / 3 * 1.1;
                assertTrue(sampled || centred, c + " for " + w + "x" + h);
            }
        }
        // A 1000×40 image never fits a sampled crop (area ≥ 3200 needs height > 40): the fallback is the centred 4:3 window.
        CropParams fallback = CropParams.randomResized(1000, 40, new Random(2));
        assertEquals(new CropParams(473, 0, 53, 40), fallback);
    }

    @Test
    void parallelDecodingMatchesSerialDecoding() throws IOException {
        writeTree();
        try (ImageDataset ds = Datasets.open("imagenet", dir, true);
             BatchLoader one = new BatchLoader(ds, 4, true, 5, 0, false, 1, 1);
             BatchLoader three = new BatchLoader(ds, 4, true, 5, 0, false, 3, 2)) {
            assertEquals(collect(one), collect(three));
        }
    }

    private static List<List<Float>> collect(BatchLoader loader) {
        List<List<Float>> out = new ArrayList<>();
        try (BatchLoader.Epoch epoch = loader.epoch(1)) {
            while (epoch.hasNext()) {
                BatchLoader.Batch b = epoch.next();
                List<Float> values = new ArrayList<>();
                for (int i = 0; i < b.size() * PIX; i += 997) {
                    values.add(b.images()[i]);
                }
                for (int k = 0; k < b.size(); k++) {
                    values.add((float) b.labels()[k]);
                }
                out.add(values);
            }
        }
        return out;
    }

    @Test
    void unreadableJpegIsReportedWithItsPathThroughTheBatchLoader() throws IOException {
        writeTree();
        Path bad = dir.resolve("train").resolve(WNIDS[1]).resolve("broken.JPEG");
        Files.write(bad, new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, 4});
        try (ImageDataset ds = Datasets.open("imagenet", dir, true);
             BatchLoader loader = BatchLoader.of(ds, 7, false, 0, 0);
             BatchLoader.Epoch epoch = loader.epoch(0)) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, epoch::next);
            assertTrue(e.getCause().getMessage().contains(bad.toString()), e.getCause().getMessage());
        }
    }

    @Test
    void emptyClassFolderIsReported() throws IOException {
        writeTree();
        Path empty = dir.resolve("train/n09999999");
        Files.createDirectories(empty);
        Files.createDirectories(dir.resolve("val/n09999999"));
        IOException e = assertThrows(IOException.class, () -> Datasets.open("imagenet", dir, true));
        assertTrue(e.getMessage().contains(empty.toString()) && e.getMessage().contains("no images"), e.getMessage());
    }

    @Test
    void classListsDifferingBetweenSplitsAreReported() throws IOException {
        writeTree();
        writeJpeg(dir.resolve("val/n07777777/x.JPEG"), 20, 20, 0);
        IOException e = assertThrows(IOException.class, () -> Datasets.open("imagenet", dir, true));
        assertTrue(e.getMessage().contains("n07777777") && e.getMessage().contains("val"), e.getMessage());
    }

    @Test
    void missingSplitFolderIsReported() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Datasets.open("imagenet", dir, false));
        assertTrue(e.getMessage().contains(dir.resolve("val").toString()), e.getMessage());
    }
}
