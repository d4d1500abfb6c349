package bitsweep.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * CIFAR-10, binary version: {@code data_batch_1.bin … data_batch_5.bin} (training) and
 * {@code test_batch.bin}, each a sequence of 3,073-byte records (1 label byte, then 1,024 red,
 * 1,024 green and 1,024 blue bytes, rows top to bottom), in {@code dataDir} or
 * {@code dataDir/cifar-10-batches-bin}. Training transform (spec §6.7): random 32×32 crop of the
 * image zero-padded by 4 pixels on each side, then a horizontal flip with probability ½.
 */
public final class Cifar10Dataset implements ImageDataset {

    static final int SIDE = 32;
    static final int PLANE = SIDE * SIDE;
    static final int RECORD = 1 + 3 * PLANE;
    static final int PAD = 4;
    static final String SUBFOLDER = "cifar-10-batches-bin";
    private static final float[] TO_UNIT = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            TO_UNIT[i] = i / 255f;
        }
    }

    private final byte[] records; // all records of the split, concatenated
    private final int size;

    private Cifar10Dataset(byte[] records) {
        this.records = records;
        this.size = records.length / RECORD;
    }

    static List<String> fileNames(boolean train) {
        if (!train) {
            return List.of("test_batch.bin");
        }
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            names.add("data_batch_" + i + ".bin");
        }
        return names;
    }

    public static Cifar10Dataset open(Path dataDir, boolean train) throws IOException {
        List<byte[]> parts = new ArrayList<>();
        long total = 0;
        for (String name : fileNames(train)) {
            Path file = DataFiles.find(dataDir, name, false, "", SUBFOLDER);
            if (file == null) {
                throw new NoSuchFileException(dataDir.resolve(name).toString(), null,
                        "CIFAR-10 file not found (looked for " + name + " in " + dataDir + " and "
                                + dataDir.resolve(SUBFOLDER) + "; expected the binary version, "
                                + "cifar-10-binary.tar.gz); run `bitsweep download cifar10 --data-dir "
                                + dataDir + "`");
            }
            byte[] data = Files.readAllBytes(file);
            check(file, data);
            parts.add(data);
            total += data.length;
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new IOException(dataDir + ": CIFAR-10 split of " + total + " bytes is larger than expected");
        }
        byte[] all = new byte[(int) total];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return new Cifar10Dataset(all);
    }

    private static void check(Path file, byte[] data) throws IOException {
        if (data.length == 0 || data.length % RECORD != 0) {
            throw new IOException(file + ": " + data.length + " bytes is not a whole number of "
                    + RECORD + "-byte CIFAR-10 records (1 label + 3x32x32 pixels); "
                    + (data.length == 0 ? "the file is empty" : "truncated file or not the binary version")
                    + " (" + (data.length % RECORD) + " bytes left over)");
        }
        for (int r = 0; r < data.length / RECORD; r++) {
            int label = data[r * RECORD] & 0xFF;
            if (label >= DatasetInfo.CIFAR10.numClasses()) {
                throw new IOException(file + ": record " + r + " has label " + label
                        + "; expected 0..9 (is this the CIFAR-100 binary format?)");
            }
        }
    }

    @Override
    public DatasetInfo info() {
        return DatasetInfo.CIFAR10;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int label(int index) {
        return records[Objects.checkIndex(index, size) * RECORD] & 0xFF;
    }

    @Override
    public void read(int index, float[] dst, int offset, Random augment) {
        int src = Objects.checkIndex(index, size) * RECORD + 1;
        if (augment == null) {
            for (int i = 0; i < 3 * PLANE; i++) {
                dst[offset + i] = TO_UNIT[records[src + i] & 0xFF];
            }
            return;
        }
        // torchvision RandomCrop(32, padding=4): top/left offsets in the padded 40×40 image, 0..8.
        int top = augment.nextInt(2 * PAD + 1);
        int left = augment.nextInt(2 * PAD + 1);
        boolean flip = augment.nextBoolean();
        cropAndFlip(records, src, dst, offset, top, left, flip);
    }

    /**
     * Writes the 32×32 window at ({@code top}, {@code left}) of the 4-pixel zero-padded image
     * (so offsets 0..8), mirrored left-right when {@code flip}.
     */
    static void cropAndFlip(byte[] src, int srcOffset, float[] dst, int offset, int top, int left,
                            boolean flip) {
        for (int c = 0; c < 3; c++) {
            int plane = srcOffset + c * PLANE;
            for (int y = 0; y < SIDE; y++) {
                int sy = y + top - PAD;
                int row = offset + c * PLANE + y * SIDE;
                for (int x = 0; x < SIDE; x++) {
                    int sx = (flip ? SIDE - 1 - x : x) + left - PAD;
                    boolean inside = sy >= 0 && sy < SIDE && sx >= 0 && sx < SIDE;
                    dst[row + x] = inside ? TO_UNIT[src[plane + sy * SIDE + sx] & 0xFF] : 0f;
                }
            }
        }
    }
}
