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

    public static NDArray on(NDManager manager, NDArray array) {
        if (array.getManager() == manager) {
            return array;
        }
        NDArray view = array.reshape(array.getShape());
        view.attach(manager);
        return view;
    }
}
