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

/**
 * A plain chain of quantized layers (LeNet-5, VGG-7): input normalisation, the layers in order, and
 * a C,H,W-order flatten before the first linear layer.
 */
final class SequentialNet extends AbstractBlock {

    private final InputNormalization normalization;
    private final List<QuantLayer> layers;

    SequentialNet(DatasetInfo info, List<QuantLayer> layers) {
        this.normalization = new InputNormalization(info);
        this.layers = List.copyOf(layers);
        for (QuantLayer l : layers) {
            addChildBlock(l.name(), l);
        }
    }

    List<QuantLayer> layers() {
        return layers;
    }

    InputNormalization normalization() {
        return normalization;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = normalization.apply(inputs.singletonOrThrow());
        for (QuantLayer l : layers) {
            if (!l.spec().isConv() && x.getShape().dimension() > 2) {
                x = x.reshape(x.getShape().get(0), -1);
            }
            x = l.forward(x, training);
        }
        return new NDList(x);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (QuantLayer l : layers) {
            l.initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        QuantLayer last = layers.get(layers.size() - 1);
        return new Shape[] {new Shape(inputShapes[0].get(0), last.outChannels())};
    }
}
