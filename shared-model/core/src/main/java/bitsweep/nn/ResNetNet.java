package bitsweep.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import bitsweep.data.DatasetInfo;
import java.util.List;

/** ResNet-18 (spec §6.5): normalisation, stem (with its max-pool), 8 basic blocks, global average pool, fc. */
final class ResNetNet extends AbstractBlock {

    private final InputNormalization normalization;
    private final QuantLayer stem;
    private final List<ResidualBlock> blocks;
    private final QuantLayer fc;

    ResNetNet(DatasetInfo info, QuantLayer stem, List<ResidualBlock> blocks, QuantLayer fc) {
        this.normalization = new InputNormalization(info);
        this.stem = addChildBlock("conv1", stem);
        this.blocks = List.copyOf(blocks);
        for (ResidualBlock b : blocks) {
            addChildBlock(b.name(), b);
        }
        this.fc = addChildBlock("fc", fc);
    }

    InputNormalization normalization() {
        return normalization;
    }

    QuantLayer stem() {
        return stem;
    }

    List<ResidualBlock> blocks() {
        return blocks;
    }

    QuantLayer fc() {
        return fc;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = stem.forward(normalization.apply(inputs.singletonOrThrow()), training);
        for (ResidualBlock b : blocks) {
            x = b.forward(x, training);
        }
        return new NDList(fc.forward(QuantLayer.meanOver(x, new int[] {2, 3}), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        stem.initialize(manager, dataType, inputShapes);
        for (ResidualBlock b : blocks) {
            b.initialize(manager, dataType, inputShapes);
        }
        fc.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), fc.outChannels())};
    }
}
