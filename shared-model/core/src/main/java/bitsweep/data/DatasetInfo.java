package bitsweep.data;

/**
 * Shape and normalisation of a data set.
 *
 * @param name       {@code mnist}, {@code cifar10} or {@code imagenet}
 * @param channels   C
 * @param height     H of the model input
 * @param width      W of the model input
 * @param numClasses number of labels
 * @param mean       per-channel mean subtracted inside the model
 * @param std        per-channel std divided inside the model
 */
public record DatasetInfo(String name, int channels, int height, int width, int numClasses,
                          float[] mean, float[] std) {

    public int pixelsPerExample() {
        return channels * height * width;
    }

    public static final DatasetInfo MNIST = new DatasetInfo("mnist", 1, 28, 28, 10,
            new float[] {0f}, new float[] {1f});
    public static final DatasetInfo CIFAR10 = new DatasetInfo("cifar10", 3, 32, 32, 10,
            new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2023f, 0.1994f, 0.2010f});
    public static final DatasetInfo IMAGENET = new DatasetInfo("imagenet", 3, 224, 224, 1000,
            new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});
}
