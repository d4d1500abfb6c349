package bitsweep.train.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import bitsweep.artifact.FixedGateArtifact;
import bitsweep.bops.BopsReport;
import bitsweep.bops.LayerBits;
import bitsweep.data.DatasetInfo;
import bitsweep.nn.BitsModel;
import bitsweep.nn.ParameterGroup;
import java.util.List;

/**
 * LeNet-5 of spec §6.3 in plain full precision (no quantizers, no gates): the baseline that
 * {@code bitsweep bench} trains with the very same loop to show what the quantizers cost. All
 * parameters are in the weights group, the regulariser is 0 and every layer counts 32×32 bits.
 */
public final class PlainLeNet5 implements BitsModel {
    private static final long[] MACS = {460_800L, 3_276_800L, 524_288L, 5_120L};
    private static final String[] NAMES = {"conv1", "conv2", "fc1", "fc2"};
    private static final int[] CHANNELS = {32, 64, 512, 10};

    private final SequentialBlock block;

    public PlainLeNet5(NDManager manager) {
        block = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(32).build())
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

    @Override
    public String architecture() {
        return "lenet5-fp32";
    }

    @Override
    public DatasetInfo dataset() {
        return DatasetInfo.MNIST;
    }

    @Override
    public Block block() {
        return block;
    }

    /** Nothing to initialise: there are no quantizers. */
    @Override
    public void initializeRanges(NDArray examples) {
    }

    @Override
    public NDArray regularizer(NDManager manager) {
        return manager.zeros(new Shape());
    }

    @Override
    public BopsReport bops() {
        List<LayerBits> rows = new java.util.ArrayList<>();
        double total = 0;
        for (int i = 0; i < MACS.length; i++) {
            double b = 32.0 * 32.0 * MACS[i];
            total += b;
            rows.add(new LayerBits(NAMES[i], MACS[i], 32, 32, i < 3 ? 32 : 0, CHANNELS[i], CHANNELS[i], 1.0, b));
        }
        return new BopsReport(total, total, rows);
    }

    @Override
    public ParameterGroup groupOf(Parameter parameter) {
        return ParameterGroup.WEIGHTS;
    }

    /** A full-precision network has no gates to freeze. */
    @Override
    public void freezeToFixedGates() {
    }

    @Override
    public FixedGateArtifact toArtifact(String trialId, Double top1) {
        throw new UnsupportedOperationException("the full-precision benchmark baseline has no fixed-gate artifact");
    }
}
