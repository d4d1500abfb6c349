package bitsweep.train.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import bitsweep.artifact.FixedGateArtifact;
import bitsweep.artifact.LayerBits;
import bitsweep.autograd.ParameterGroup;
import bitsweep.bops.BopsReport;
import bitsweep.data.DatasetInfo;
import bitsweep.nn.BitsModel;
import java.util.ArrayList;
import java.util.List;

/**
 * What every full-precision benchmark baseline shares: no quantizers or gates, every parameter in the weights
 * group, a zero regulariser, and 32×32-bit BOPs per layer (the last layer's output is not quantized).
 */
abstract class PlainNetwork implements BitsModel {
    private final String architecture;
    private final DatasetInfo dataset;
    private final String[] names;
    private final long[] macs;
    private final int[] channels;
    protected final SequentialBlock block = new SequentialBlock();

    PlainNetwork(String architecture, DatasetInfo dataset, String[] names, long[] macs, int[] channels) {
        this.architecture = architecture;
        this.dataset = dataset;
        this.names = names;
        this.macs = macs;
        this.channels = channels;
    }

    @Override
    public final String architecture() {
        return architecture;
    }

    @Override
    public final DatasetInfo dataset() {
        return dataset;
    }

    @Override
    public final Block block() {
        return block;
    }

    /** Nothing to initialise: there are no quantizers. */
    @Override
    public final void initializeRanges(NDArray examples) {
    }

    @Override
    public final NDArray regularizer(NDManager manager) {
        return manager.zeros(new Shape());
    }

    @Override
    public final BopsReport bops() {
        List<LayerBits> rows = new ArrayList<>();
        double total = 0;
        for (int i = 0; i < macs.length; i++) {
            double b = 32.0 * 32.0 * macs[i];
            total += b;
            rows.add(new LayerBits(names[i], macs[i], 32, 32, i < macs.length - 1 ? 32 : 0, channels[i], channels[i],
                    1.0, b));
        }
        return new BopsReport(total, total, rows);
    }

    @Override
    public final ParameterGroup groupOf(Parameter parameter) {
        return ParameterGroup.WEIGHTS;
    }

    /** A full-precision network has no gates to freeze. */
    @Override
    public final void freezeToFixedGates() {
    }

    @Override
    public final FixedGateArtifact toArtifact(String trialId, Double top1) {
        throw new UnsupportedOperationException("the full-precision benchmark baseline has no fixed-gate artifact");
    }
}
