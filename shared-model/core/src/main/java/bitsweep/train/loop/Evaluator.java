package bitsweep.train.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import bitsweep.data.DatasetInfo;
import bitsweep.data.ImageDataset;
import bitsweep.nn.BitsModel;

/** Test-set top-1 in eval mode: deterministic gates, plain rounding, BN running statistics (§8.4). */
public final class Evaluator {
    private final ImageDataset test;
    private final int batchSize;
    private final int limit;

    /** @param limit evaluate only the first {@code limit} test examples (null = all) */
    public Evaluator(ImageDataset test, int batchSize, Integer limit) {
        this.test = test;
        this.batchSize = batchSize;
        this.limit = limit == null ? test.size() : Math.min(limit, test.size());
    }

    public int examples() {
        return limit;
    }

    /** Top-1 accuracy in percent. */
    public double top1(BitsModel model, NDManager manager) {
        return top1(model, manager, () -> {
        });
    }

    /** As {@link #top1(BitsModel, NDManager)}, calling {@code onBatch} after every batch (liveness). */
    public double top1(BitsModel model, NDManager manager, Runnable onBatch) {
        int[] order = new int[limit];
        for (int i = 0; i < limit; i++) {
            order[i] = i;
        }
        DatasetInfo info = test.info();
        long correct = 0;
        try (BatchReader reader = new BatchReader(test, batchSize)) {
            int batches = BatchReader.batchCount(limit, batchSize);
            for (int b = 0; b < batches; b++) {
                HostBatch batch = reader.read(order, b, null);
                try (NDManager bm = manager.newSubManager(); NDScope scope = new NDScope()) {
                    NDArray x = bm.create(batch.pixels(),
                            new Shape(batch.size(), info.channels(), info.height(), info.width()));
                    NDArray logits = model.block().forward(new ParameterStore(bm, false), new NDList(x), false)
                            .singletonOrThrow();
                    long[] predicted = logits.argMax(1).toLongArray();
                    for (int i = 0; i < batch.size(); i++) {
                        if (predicted[i] == (long) batch.labels()[i]) {
                            correct++;
                        }
                    }
                }
                onBatch.run();
            }
        }
        return 100.0 * correct / limit;
    }
}
