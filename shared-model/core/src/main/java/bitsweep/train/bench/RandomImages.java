package bitsweep.train.bench;

import bitsweep.data.DatasetInfo;
import bitsweep.data.ImageDataset;
import java.util.Random;

/** Uniform random pixels and labels of a data set's shape, for throughput runs without the real files. */
public final class RandomImages implements ImageDataset {
    private final DatasetInfo info;
    private final int size;
    private final long seed;

    public RandomImages(DatasetInfo info, int size, long seed) {
        this.info = info;
        this.size = size;
        this.seed = seed;
    }

    @Override
    public DatasetInfo info() {
        return info;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int label(int index) {
        return new Random(seed ^ (index * 0x9E3779B97F4A7C15L)).nextInt(info.numClasses());
    }

    @Override
    public void read(int index, float[] dst, int offset, Random augment) {
        Random r = new Random(seed + index);
        int n = info.pixelsPerExample();
        for (int i = 0; i < n; i++) {
            dst[offset + i] = r.nextFloat();
        }
    }
}
