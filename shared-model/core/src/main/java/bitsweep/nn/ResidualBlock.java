package bitsweep.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import bitsweep.quant.BayesianBitsQuantizer;
import bitsweep.quant.FixedBitQuantizer;
import bitsweep.quant.Quantizer;
import bitsweep.quant.QuantizerSettings;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A ResNet basic block (spec §6.5): {@code features.0} (conv3×3+BN+ReLU, unsigned activation
 * quantizer), {@code features.1} (conv3×3+BN, signed pre-addition quantizer), optional
 * {@code downsample.0} (conv1×1+BN, signed quantizer), then {@code relu(main + shortcut)} and the
 * block's own activation quantizer.
 */
final class ResidualBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final String name;
    private final QuantLayer features0;
    private final QuantLayer features1;
    private final QuantLayer downsample;
    private Quantizer outputQuantizer;
    private boolean frozen;

    ResidualBlock(String name, QuantLayer features0, QuantLayer features1, QuantLayer downsample,
                  QuantizerSettings outputSettings) {
        super(VERSION);
        this.name = name;
        this.features0 = addChildBlock("features.0", features0);
        this.features1 = addChildBlock("features.1", features1);
        this.downsample = downsample == null ? null : addChildBlock("downsample.0", downsample);
        if (outputSettings != null) {
            BayesianBitsQuantizer aq = new BayesianBitsQuantizer(name + ".output", "out_aq_", outputSettings);
            aq.setNonNegativeInput(true); // after the block's ReLU
            outputQuantizer = aq;
            outputQuantizer.parameters().forEach(this::addParameter);
        }
    }

    String name() {
        return name;
    }

    QuantLayer features0() {
        return features0;
    }

    QuantLayer features1() {
        return features1;
    }

    /** The downsample layer, or null for an identity shortcut. */
    QuantLayer downsample() {
        return downsample;
    }

    Quantizer outputQuantizer() {
        return outputQuantizer;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(inputs.singletonOrThrow(), training));
    }

    NDArray forward(NDArray x, boolean training) {
        NDArray main = features1.forward(features0.forward(x, training), training);
        NDArray shortcut = downsample == null ? x : downsample.forward(x, training);
        NDArray y = Activation.relu(main.add(shortcut));
        return outputQuantizer == null ? y : outputQuantizer.quantize(y, training);
    }

    void freeze(NDManager manager) {
        if (frozen) {
            return;
        }
        features0.freeze(manager);
        features1.freeze(manager);
        if (downsample != null) {
            downsample.freeze(manager);
        }
        if (outputQuantizer instanceof BayesianBitsQuantizer bb) {
            FixedBitQuantizer fixed = bb.freeze("out_aq_", manager);
            for (Parameter p : bb.parameters()) {
                parameters.remove(p.getName());
                p.close();
            }
            fixed.parameters().forEach(this::addParameter);
            outputQuantizer = fixed;
        }
        frozen = true;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        features0.initialize(manager, dataType, inputShapes);
        features1.initialize(manager, dataType, inputShapes);
        if (downsample != null) {
            downsample.initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return features1.getOutputShapes(features0.getOutputShapes(inputShapes));
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        os.writeBoolean(frozen);
        QuantizerState.write(os, outputQuantizer);
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException("block " + name + ": unsupported state version " + loadVersion);
        }
        if (is.readBoolean() != frozen) {
            throw new MalformedModelException("block " + name + ": checkpoint and model differ in the fixed-gate phase "
                    + "(call freezeToFixedGates() before loading a fine-tuning checkpoint)");
        }
        QuantizerState.read(is, outputQuantizer, name + ".output");
    }
}
