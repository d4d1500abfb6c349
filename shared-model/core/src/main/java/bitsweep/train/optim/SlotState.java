package bitsweep.train.optim;

import ai.djl.ndarray.NDArray;

/**
 * Optimiser state of one parameter: the step count and up to two moment buffers (Adam: m and v;
 * Nesterov SGD: the momentum buffer in {@code first}, {@code second} null).
 */
public final class SlotState implements AutoCloseable {
    private long step;
    private final NDArray first;
    private final NDArray second;

    public SlotState(long step, NDArray first, NDArray second) {
        this.step = step;
        this.first = first;
        this.second = second;
    }

    long incrementStep() {
        return ++step;
    }

    public long step() {
        return step;
    }

    public NDArray first() {
        return first;
    }

    public NDArray second() {
        return second;
    }

    @Override
    public void close() {
        first.close();
        if (second != null) {
            second.close();
        }
    }
}
