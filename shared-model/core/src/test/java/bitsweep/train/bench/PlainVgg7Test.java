package bitsweep.train.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/** The FP32 VGG-7 baseline of {@code bitsweep bench}: spec §6.4's shapes and MACs. */
class PlainVgg7Test {

    @Test
    void mapsCifarImagesToTenLogitsAndCountsTheSpecsBaselineBops() {
        try (NDManager m = NDManager.newBaseManager()) {
            PlainVgg7 vgg = new PlainVgg7(m);
            NDList out = vgg.block().forward(new ParameterStore(m, false),
                    new NDList(m.randomUniform(0f, 1f, new Shape(2, 3, 32, 32))), false);
            assertEquals(new Shape(2, 10), out.singletonOrThrow().getShape());
            // spec §14.17: total MACs 615,917,568, FP32 baseline 630,699,589,632 BOPs
            assertEquals(630_699_589_632.0, vgg.bops().baselineBops(), 0.0);
        }
    }
}
