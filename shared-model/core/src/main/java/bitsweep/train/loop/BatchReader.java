package bitsweep.train.loop;

import bitsweep.data.ImageDataset;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Reads mini-batches of an {@link ImageDataset} into host arrays, one batch ahead on a background
 * thread so decoding/augmentation overlaps with the training step.
 */
public final class BatchReader implements AutoCloseable {
    private final ImageDataset data;
    private final int batchSize;
    private final ExecutorService prefetch = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "batch-prefetch");
        t.setDaemon(true);
        return t;
    });

    public BatchReader(ImageDataset data, int batchSize) {
        this.data = data;
        this.batchSize = batchSize;
    }

    public static int batchCount(int examples, int batchSize) {
        return (examples + batchSize - 1) / batchSize;
    }

    /** Reads batch {@code b} of {@code order} (the last batch may be short, as PyTorch's default). */
    public HostBatch read(int[] order, int b, Random augment) {
        int from = b * batchSize;
        int n = Math.min(batchSize, order.length - from);
        int px = data.info().pixelsPerExample();
        float[] pixels = new float[n * px];
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) {
            int idx = order[from + i];
            data.read(idx, pixels, i * px, augment);
            labels[i] = data.label(idx);
        }
        return new HostBatch(pixels, labels, n);
    }

    /** Starts reading batch {@code b} in the background. */
    public CompletableFuture<HostBatch> readAsync(int[] order, int b, Random augment) {
        return CompletableFuture.supplyAsync(() -> read(order, b, augment), prefetch);
    }

    @Override
    public void close() {
        prefetch.shutdownNow();
    }
}
