package bitsweep.train.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;

/**
 * The data term of one training step with K independent hard-concrete gate samples
 * ({@code --gate-samples K}, an ablation of spec §8.5). The batch is cut into contiguous slices the way
 * DataParallel scatters it ({@code torch.chunk}: slices of ⌈N/K⌉, the last one shorter), each slice is
 * forwarded with its own gate draw (its own batch-norm statistics too, as on a replica), and the
 * slices' mean cross-entropies are combined with weights {@code n_k/N}. That is the batch-mean
 * cross-entropy DataParallel computes on the gathered logits, so one backward gives the average of the
 * K replicas' gradients. K = 1 is a single forward of the whole batch: exactly the step without the flag.
 */
final class GateSampledCrossEntropy {

    private GateSampledCrossEntropy() {
    }

    /** Mean cross-entropy of {@code logits(x)} against {@code y} under {@code samples} gate draws, on {@code bm}. */
    static NDArray evaluate(Block block, Loss ce, NDManager bm, NDArray x, NDArray y, int samples) {
        long n = x.getShape().get(0);
        if (samples <= 1) {
            return ce.evaluate(new NDList(y), new NDList(forward(block, bm, x)));
        }
        long chunk = (n + samples - 1) / samples;
        NDArray total = null;
        for (long start = 0; start < n; start += chunk) {
            long end = Math.min(n, start + chunk);
            NDIndex slice = new NDIndex(start + ":" + end);
            NDArray part = ce.evaluate(new NDList(y.get(slice)), new NDList(forward(block, bm, x.get(slice))));
            NDArray weighted = part.mul(bm.create((float) ((double) (end - start) / n)));
            total = total == null ? weighted : total.add(weighted);
        }
        return total;
    }

    private static NDArray forward(Block block, NDManager bm, NDArray x) {
        return block.forward(new ParameterStore(bm, false), new NDList(x), true).singletonOrThrow();
    }
}
