package bitsweep.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Puts a parameter-derived array on the per-batch manager. DJL attaches an op's result to the
 * manager of its receiver, so a computation that starts from a long-lived parameter would leave
 * every intermediate on the model's manager (the memory trap of platform-notes); a view attached
 * to the batch manager makes all downstream results batch-scoped.
 */
public final class Local {

    private Local() {
    }

    /**
     * A float32 scalar living on {@code manager} until it closes. DJL 0.36's {@code op(Number)} wraps the
     * number in a from_blob array and closes it at once, while autograd saves it for the backward pass:
     * once the GC frees that buffer the gradient is computed from garbage. Differentiable paths must
     * therefore use scalar arrays on the per-batch manager instead of Java numbers.
     */
    public static NDArray scalar(NDManager manager, float value) {
        return manager.create(value);
    }

    /** {@link #scalar} on {@code like}'s manager. */
    public static NDArray scalar(NDArray like, float value) {
        return like.getManager().create(value);
    }

    public static NDArray on(NDManager manager, NDArray array) {
        if (array.getManager() == manager) {
            return array;
        }
        NDArray view = array.reshape(array.getShape());
        view.attach(manager);
        return view;
    }
}
