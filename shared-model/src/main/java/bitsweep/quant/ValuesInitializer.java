package bitsweep.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/** Initialises a parameter to given values (e.g. the four gate logits). */
final class ValuesInitializer implements Initializer {

    private final float[] values;

    ValuesInitializer(float[] values) {
        this.values = values.clone();
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        NDArray created = manager.create(values, shape);
        // never return an alias of `created`: on PyTorch its memory is a direct buffer owned by that
        // wrapper only, and a parameter viewing it would read freed memory once the wrapper is collected
        return dataType == DataType.FLOAT32 ? created : created.toType(dataType, true);
    }
}
