package bitsweep.train;

import bitsweep.data.DatasetInfo;
import bitsweep.data.ImageDataset;
import java.util.Random;

/**
 * A small learnable MNIST-shaped data set for trainer tests: each class is a fixed random 28×28
 * template, each example its class template plus per-example noise (all generated from a seed).
 */
public final class SyntheticDigits implements ImageDataset {
    private final float[][] templates = new float[10][784];
    private final int size;
    private final long seed;
    private final float poison;

    public SyntheticDigits(int size, long seed) {
        this(size, seed, 0f);
    }

    /** {@code poison} is added to every pixel (use NaN to feed non-finite input). */
    public SyntheticDigits(int size, long seed, float poison) {
        this.size = size;
        this.seed = seed;
        this.poison = poison;
        Random r = new Random(42);
        for (float[] t : templates) {
            for (int i = 0; i < t.length; i++) {
                t[i] = r.nextFloat() < 0.2f ? 1f : 0f;
            }
        }
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
        return index % 10;
    }

    @Override
    public void read(int index, float[] dst, int offset, Random augment) {
        Random noise = new Random(seed * 1_000_003L + index);
        float[] t = templates[label(index)];
        for (int i = 0; i < t.length; i++) {
            dst[offset + i] = Math.min(1f, Math.max(0f, t[i] + 0.3f * (float) noise.nextGaussian())) + poison;
        }
    }
}
