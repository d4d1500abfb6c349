package bitsweep.train.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import bitsweep.autograd.NoGrad;

/**
 * Per-batch (loss, cross-entropy, Σ R) kept on the device and read to the host in blocks. Reading a loss
 * every batch would make the host wait for the device after every step on a GPU (a synchronisation per
 * batch); here each batch's values are copied (no graph) into a row of a small device array, and the host
 * reads all rows at once when {@link #drain} is called: every {@code capacity} batches, after 10 s, and at
 * the epoch's end. The array lives in its own manager, outside every per-batch scope.
 */
final class LossTally implements AutoCloseable {

    private final NDManager manager;
    private final NDArray rows;
    private final int capacity;
    private int count;
    private int firstBatch = 1;

    LossTally(NDManager parent, int capacity) {
        this.manager = parent.newSubManager();
        this.capacity = capacity;
        this.rows = manager.zeros(new Shape(capacity, 3), DataType.FLOAT32);
    }

    boolean full() {
        return count == capacity;
    }

    /** Copies one batch's scalars (on the batch manager; {@code reg} may be null) into the next row. */
    void record(NDArray loss, NDArray ce, NDArray reg) {
        if (full()) {
            throw new IllegalStateException("loss tally full: drain it first");
        }
        NDManager m = loss.getManager();
        try (NoGrad ignored = NoGrad.open()) {
            NDArray r = reg == null ? m.zeros(new Shape(1)) : reg.reshape(1);
            rows.set(new NDIndex(count), loss.reshape(1).concat(ce.reshape(1)).concat(r));
        }
        count++;
    }

    /** Batch number (1-based within the epoch) of the first row not yet drained. */
    int firstBatch() {
        return firstBatch;
    }

    /** The rows recorded since the last drain, {loss, ce, reg} each, read with one host transfer. */
    float[][] drain() {
        float[][] out = new float[count][];
        if (count > 0) {
            float[] all = rows.toFloatArray();
            for (int i = 0; i < count; i++) {
                out[i] = new float[] {all[3 * i], all[3 * i + 1], all[3 * i + 2]};
            }
        }
        firstBatch += count;
        count = 0;
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
