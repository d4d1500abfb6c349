package bitsweep.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import bitsweep.artifact.FixedGateArtifact;
import bitsweep.autograd.ParameterGroup;
import bitsweep.bops.BopsCalculator;
import bitsweep.bops.BopsLayout;
import bitsweep.bops.BopsReport;
import bitsweep.bops.ExpectedBops;
import bitsweep.bops.MacAssignment;
import bitsweep.data.DatasetInfo;
import bitsweep.quant.BayesianBitsQuantizer;
import bitsweep.quant.HardConcrete;
import bitsweep.quant.ParameterRoles;
import bitsweep.quant.Quantizer;
import bitsweep.quant.RegType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Bayesian Bits network with its BOP layout and regulariser: the {@link BitsModel} the trainer
 * uses. Created by {@link BitsModels}.
 */
public final class QuantizedModel implements BitsModel {
    private static final Logger LOG = LoggerFactory.getLogger(QuantizedModel.class);

    /** A quantizer of the model and its name; the supplier follows the fixed-gate swap. */
    record NamedQuantizer(String name, int channels, Supplier<Quantizer> quantizer) {
    }

    private final String architecture;
    private final DatasetInfo dataset;
    private final Block block;
    private final NDManager manager;
    private final BopsLayout layout;
    private final MacAssignment macs;
    private final ExpectedBops expectedBops;
    private final List<NamedQuantizer> quantizers;
    private final RegType regType;
    private boolean frozen;

    QuantizedModel(String architecture, DatasetInfo dataset, Block block, NDManager manager, BopsLayout layout,
                   List<NamedQuantizer> quantizers, RegType regType) {
        this.architecture = architecture;
        this.dataset = dataset;
        this.block = block;
        this.manager = manager;
        this.layout = layout;
        this.macs = new MacAssignment(layout);
        this.expectedBops = new ExpectedBops(layout);
        if (regType == RegType.BOP_EXACT) {
            // the logged 'reg' is on another scale than bop's Σ R: say how to read it
            LOG.info("{}: reg-type bop-exact, R = E[BOPs]/(4·M_max) with M_max = {} MACs; R × {} = expected relative "
                    + "BOPs in %", architecture, layout.maxMacs(),
                    String.format(java.util.Locale.ROOT, "%.5f", expectedBops.relativeBopsPerUnit()));
        }
        this.quantizers = List.copyOf(quantizers);
        this.regType = regType;
    }

    @Override
    public String architecture() {
        return architecture;
    }

    @Override
    public DatasetInfo dataset() {
        return dataset;
    }

    @Override
    public Block block() {
        return block;
    }

    public BopsLayout bopsLayout() {
        return layout;
    }

    public MacAssignment macAssignment() {
        return macs;
    }

    /** Forward pass on {@code x} (raw pixels); results live on {@code x}'s manager. */
    public NDArray forward(NDArray x, boolean training) {
        return block.forward(new ParameterStore(x.getManager(), false), new NDList(x), training).singletonOrThrow();
    }

    @Override
    public void initializeRanges(NDArray examples) {
        try (NDManager scope = examples.getManager().newSubManager()) {
            NDArray x = examples.reshape(examples.getShape());
            x.attach(scope);
            forward(x, true);
        }
    }

    /** Every Bayesian Bits quantizer that exists (spec §5.3), in module order. */
    public List<BayesianBitsQuantizer> bayesianBitsQuantizers() {
        List<BayesianBitsQuantizer> list = new ArrayList<>();
        for (NamedQuantizer q : quantizers) {
            if (q.quantizer().get() instanceof BayesianBitsQuantizer bb) {
                list.add(bb);
            }
        }
        return list;
    }

    /** The expected-BOPs form behind {@code --reg-type bop-exact}. */
    public ExpectedBops expectedBops() {
        return expectedBops;
    }

    public RegType regType() {
        return regType;
    }

    /** {@code R_i} of one quantizer (spec §5.1) on {@code m}. */
    public NDArray regularizerOf(BayesianBitsQuantizer q, NDManager m) {
        return q.regularizer(m, macs.stepCosts(q, regType == RegType.BOP));
    }

    @Override
    public NDArray regularizer(NDManager m) {
        if (regType == RegType.BOP_EXACT) {
            // after the fixed-gate swap nothing is left to regularise (BitsModel contract)
            return bayesianBitsQuantizers().isEmpty() ? m.zeros(new Shape()) : expectedBops.regularizer(m);
        }
        NDArray sum = null;
        for (BayesianBitsQuantizer q : bayesianBitsQuantizers()) {
            NDArray r = regularizerOf(q, m);
            sum = sum == null ? r : sum.add(r);
        }
        return sum == null ? m.zeros(new Shape()) : sum.reshape(new Shape());
    }

    @Override
    public BopsReport bops() {
        return BopsCalculator.report(layout);
    }

    @Override
    public ParameterGroup groupOf(Parameter parameter) {
        return ParameterRoles.groupOf(parameter.getName());
    }

    @Override
    public List<QuantizerSummary> quantizerSummaries() {
        List<QuantizerSummary> rows = new ArrayList<>();
        for (NamedQuantizer nq : quantizers) {
            Quantizer q = nq.quantizer().get();
            boolean[] keep = q.keepMask();
            int kept = nq.channels();
            if (keep != null) {
                kept = 0;
                for (boolean k : keep) {
                    kept += k ? 1 : 0;
                }
            }
            double pOff = Double.NaN;
            double[] gates = new double[0];
            if (q instanceof BayesianBitsQuantizer bb) {
                float[] la = bb.gateLogits();
                gates = new double[la.length];
                for (int i = 0; i < la.length; i++) {
                    gates[i] = 1.0 / (1.0 + Math.exp(-la[i]));
                }
                float[] pl = bb.pruneLogits();
                if (pl != null) {
                    double s = 0;
                    for (float v : pl) {
                        s += HardConcrete.probabilityOff(v);
                    }
                    pOff = s / pl.length;
                }
            }
            rows.add(new QuantizerSummary(nq.name(), q.bopBits(layout.pruneOnlyRun()), pOff, kept, nq.channels(), gates,
                    q.xMax(), q.signed()));
        }
        return rows;
    }

    @Override
    public void freezeToFixedGates() {
        if (frozen) {
            return;
        }
        if (block instanceof SequentialNet net) {
            net.layers().forEach(l -> l.freeze(manager));
        } else if (block instanceof ResNetNet net) {
            net.stem().freeze(manager);
            net.blocks().forEach(b -> b.freeze(manager));
            net.fc().freeze(manager);
        }
        frozen = true;
    }

    @Override
    public boolean isFrozen() {
        return frozen;
    }

    @Override
    public FixedGateArtifact toArtifact(String trialId, Double top1) {
        freezeToFixedGates();
        return ArtifactWriter.write(this, trialId, top1);
    }
}
