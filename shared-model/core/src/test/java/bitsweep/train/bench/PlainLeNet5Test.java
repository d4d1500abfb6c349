package bitsweep.train.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import bitsweep.autograd.ParameterGroup;
import org.junit.jupiter.api.Test;

/** The FP32 LeNet-5 baseline of {@code bitsweep bench}: spec §6.3's shapes, 32×32-bit BOPs, no regulariser. */
class PlainLeNet5Test {

    @Test
    void mapsMnistImagesToTenLogitsWithEveryLayerAt32BitsAndNoRegulariser() {
        try (NDManager m = NDManager.newBaseManager()) {
            PlainLeNet5 lenet = new PlainLeNet5(m);
            NDList out = lenet.block().forward(new ParameterStore(m, false),
                    new NDList(m.randomUniform(0f, 1f, new Shape(2, 1, 28, 28))), false);
            assertEquals(new Shape(2, 10), out.singletonOrThrow().getShape());
            // 1,024 bit-products per MAC over spec §6.3's 4,267,008 MACs; fc2's output is not quantized
            assertEquals(1024.0 * 4_267_008, lenet.bops().baselineBops(), 0.0);
            assertEquals(lenet.bops().baselineBops(), lenet.bops().bops(), 0.0);
            assertEquals(0, lenet.bops().layers().get(3).outputBits());
            assertEquals(0f, lenet.regularizer(m).getFloat(), 0f);
            assertTrue(lenet.block().getParameters().values().stream()
                    .allMatch(p -> lenet.groupOf(p) == ParameterGroup.WEIGHTS));
        }
    }
}
