package bitsweep.export;

import bitsweep.data.DatasetInfo;
import bitsweep.data.ImageDataset;
import java.util.Random;

/** A deterministic test split of random images ({@link ArtifactFixtures#randomImages}) with random labels. */
final class RandomImageDataset implements ImageDataset {
    private final DatasetInfo info;
    private final int size;
    private final long seed;
    private final int[] labels;

    RandomImageDataset(DatasetInfo info, int size, long seed) {
        this.info = info;
        this.size = size;
        this.seed = seed;
        Random rng = new Random(seed);
        this.labels = new int[size];
        for (int i = 0; i < size; i++) {
            labels[i] = rng.nextInt(info.numClasses());
        }
    }

    static RandomImageDataset forArtifact(bitsweep.artifact.FixedGateArtifact a, int size, long seed) {
        int[] s = a.inputShape();
        return new RandomImageDataset(new DatasetInfo(a.experiment(), s[0], s[1], s[2], a.numClasses(),
                new float[s[0]], new float[s[0]]), size, seed);
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
        return labels[index];
    }

    @Override
    public void read(int index, float[] dst, int offset, Random augment) {
        float[] image = ArtifactFixtures.randomImages(new Random(seed * 1_000_003L + index), 1,
                new int[] {info.channels(), info.height(), info.width()});
        System.arraycopy(image, 0, dst, offset, image.length);
    }
}
