package bitsweep.data;

import java.io.IOException;
import java.nio.file.Path;

/** Opens the data set of an experiment from its on-disk folder. */
public final class Datasets {
    private Datasets() {
    }

    /**
     * @param experiment {@code mnist}, {@code cifar10} or {@code imagenet}
     * @param dataDir    the folder holding the files in their standard layout
     * @param train      training split (else test/validation split)
     * @throws IOException with a message naming the missing/corrupt file and what was expected
     */
    public static ImageDataset open(String experiment, Path dataDir, boolean train) throws IOException {
        return switch (experiment) {
            case "mnist" -> MnistDataset.open(dataDir, train);
            case "cifar10" -> Cifar10Dataset.open(dataDir, train);
            case "imagenet" -> ImageNetDataset.open(dataDir, train);
            default -> throw new IllegalArgumentException("unknown experiment '" + experiment
                    + "'; expected mnist, cifar10 or imagenet");
        };
    }
}
