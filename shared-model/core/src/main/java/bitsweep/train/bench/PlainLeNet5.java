package bitsweep.train.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import bitsweep.data.DatasetInfo;

/**
 * LeNet-5 of spec §6.3 in plain full precision (no quantizers, no gates): the baseline that
 * {@code bitsweep bench} trains with the very same loop to show what the quantizers cost. All
 * parameters are in the weights group, the regulariser is 0 and every layer counts 32×32 bits.
 */
public final class PlainLeNet5 extends PlainNetwork {
    private static final long[] MACS = {460_800L, 3_276_800L, 524_288L, 5_120L};
    private static final String[] NAMES = {"conv1", "conv2", "fc1", "fc2"};
    private static final int[] CHANNELS = {32, 64, 512, 10};

    public PlainLeNet5(NDManager manager) {
        super("lenet5-fp32", DatasetInfo.MNIST, NAMES, MACS, CHANNELS);
        block.add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(32).build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(64).build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(512).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(10).build());
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
    }
}
