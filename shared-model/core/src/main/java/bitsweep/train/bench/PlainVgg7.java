package bitsweep.train.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import bitsweep.data.DatasetInfo;

/**
 * VGG-7 of spec §6.4 in plain full precision: conv 3×3 (no bias) → batch norm → ReLU, max-pool after conv2,
 * conv4 and conv6, fc1 (no bias) → batch norm → ReLU, fc2. The baseline {@code bitsweep bench} trains with
 * the same loop as the Bayesian Bits VGG-7 (whose BN is folded into the quantized weights instead).
 */
public final class PlainVgg7 extends PlainNetwork {
    private static final String[] NAMES = {"conv1", "conv2", "conv3", "conv4", "conv5", "conv6", "fc1", "fc2"};
    private static final long[] MACS = {3_538_944L, 150_994_944L, 75_497_472L, 150_994_944L, 75_497_472L,
        150_994_944L, 8_388_608L, 10_240L};
    private static final int[] CHANNELS = {128, 128, 256, 256, 512, 512, 1024, 10};

    public PlainVgg7(NDManager manager) {
        super("vgg7-fp32", DatasetInfo.CIFAR10, NAMES, MACS, CHANNELS);
        for (int i = 0; i < 6; i++) {
            block.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).optBias(false)
                            .setFilters(CHANNELS[i]).build())
                    .add(BatchNorm.builder().build())
                    .add(Activation::relu);
            if (i % 2 == 1) {
                block.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            }
        }
        block.add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(1024).optBias(false).build())
                .add(BatchNorm.builder().build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(10).build());
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
    }
}
