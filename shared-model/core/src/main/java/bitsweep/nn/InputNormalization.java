package bitsweep.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import bitsweep.data.DatasetInfo;

/** Per-channel {@code (x − mean)/std} on raw [0, 1] pixels, inside the model (spec §6.7). */
final class InputNormalization {

    private final float[] mean;
    private final float[] std;
    private final boolean identity;

    InputNormalization(DatasetInfo info) {
        this.mean = info.mean().clone();
        this.std = info.std().clone();
        boolean id = true;
        for (int c = 0; c < mean.length; c++) {
            id &= mean[c] == 0f && std[c] == 1f;
        }
        this.identity = id; // MNIST: no normalisation, skip the two ops
    }

    NDArray apply(NDArray x) {
        if (identity) {
            return x;
        }
        Shape cs = new Shape(1, mean.length, 1, 1);
        return x.sub(x.getManager().create(mean, cs)).div(x.getManager().create(std, cs));
    }

    float[] mean() {
        return mean.clone();
    }

    float[] std() {
        return std.clone();
    }
}
