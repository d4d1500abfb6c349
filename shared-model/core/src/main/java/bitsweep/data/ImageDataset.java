package bitsweep.data;

import java.util.Random;

/**
 * A labelled image data set split (train or test) that yields raw pixels in [0, 1], CHW order.
 * Normalisation is not applied here: it is the first operation of every model (and of the exported
 * ONNX graph), so every consumer sees the same input contract.
 */
public interface ImageDataset extends AutoCloseable {

    DatasetInfo info();

    int size();

    int label(int index);

    /**
     * Writes example {@code index} into {@code dst[offset … offset + C·H·W)}. With a non-null
     * {@code augment} the split's training transform is applied using that generator (random crop
     * and flip for CIFAR-10, random-resized crop and flip for ImageNet, nothing for MNIST); with
     * {@code null} the evaluation transform. Must be safe to call from several threads.
     *
     * @throws java.io.UncheckedIOException when a lazily decoded example cannot be read (an
     *         unreadable ImageNet JPEG); its cause names the file. In-memory data sets never throw.
     */
    void read(int index, float[] dst, int offset, Random augment);

    @Override
    default void close() {
    }
}
