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
        // a torch-owned copy: on PyTorch, create(float[]) wraps a Java direct buffer that lives only as
        // long as that one wrapper, which must not back a long-lived parameter
        return manager.create(values, shape).toType(dataType, true);
    }
}
