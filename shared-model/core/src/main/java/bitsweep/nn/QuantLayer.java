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
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import bitsweep.artifact.ArtifactNode;
import bitsweep.autograd.NoGrad;
import bitsweep.bops.BopsLayer;
import bitsweep.quant.BayesianBitsQuantizer;
import bitsweep.quant.FixedBitQuantizer;
import bitsweep.quant.Local;
import bitsweep.quant.Quantizer;
import bitsweep.quant.QuantizerSettings;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A quantized conv or linear layer: plain (spec §6.1) or batch-norm folded (spec §6.2), followed by
 * its activation function, its activation quantizer and an optional max-pool.
 *
 * <p>Plain: {@code y = aq(act(op(x, wq(W)) + b))}. BN-folded, training: {@code y_q = op(x, wq(W·g/σ_run))},
 * batch statistics from {@code op(x, W)}, {@code y = y_q·σ_run/σ_B + t − g·μ_B/σ_B}, running statistics
 * updated (momentum 0.1, unbiased variance). BN-folded, eval: {@code y = op(x, wq(W·g/σ_run)) + t − g·m/σ_run}.
 * After {@link #freeze} the layer is plain with the statically folded weight and bias and fixed-bit
 * quantizers (spec §9).
 */
public final class QuantLayer extends AbstractBlock implements BopsLayer {

    static final float BN_EPS = 1e-5f;
    static final float BN_MOMENTUM = 0.1f;
    private static final byte VERSION = 1;

    private final LayerSpec spec;
    private final Parameter weight;
    private Parameter bias;
    private Parameter gamma;
    private Parameter beta;
    private Parameter runningMean;
    private Parameter runningVar;
    private Quantizer weightQuantizer;
    private Quantizer outputQuantizer;
    private boolean frozen;

    /**
     * @param weightSettings settings of the weight quantizer, or null for float weights
     * @param outputSettings settings of the activation quantizer, or null for none (logits, FP32 prune-only)
     */
    public QuantLayer(LayerSpec spec, QuantizerSettings weightSettings, QuantizerSettings outputSettings) {
        super(VERSION);
        this.spec = spec;
        // PyTorch's default conv/linear initialisation: U(±1/sqrt(fan_in)) for weight and bias
        float bound = (float) (1.0 / Math.sqrt(spec.fanIn()));
        Shape wShape = spec.isConv() ? new Shape(spec.out(), spec.in(), spec.kernel(), spec.kernel())
                : new Shape(spec.out(), spec.in());
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(wShape).optInitializer(new UniformInitializer(bound)).build());
        if (spec.bias()) {
            bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                    .optShape(new Shape(spec.out())).optInitializer(new UniformInitializer(bound)).build());
        }
        if (spec.batchNorm()) {
            gamma = addParameter(Parameter.builder().setName("bn_gamma").setType(Parameter.Type.GAMMA)
                    .optShape(new Shape(spec.out())).optInitializer(new ConstantInitializer(1f)).build());
            beta = addParameter(Parameter.builder().setName("bn_beta").setType(Parameter.Type.BETA)
                    .optShape(new Shape(spec.out())).optInitializer(new ConstantInitializer(0f)).build());
            runningMean = addParameter(Parameter.builder().setName("bn_running_mean")
                    .setType(Parameter.Type.RUNNING_MEAN).optRequiresGrad(false)
                    .optShape(new Shape(spec.out())).optInitializer(new ConstantInitializer(0f)).build());
            runningVar = addParameter(Parameter.builder().setName("bn_running_var")
                    .setType(Parameter.Type.RUNNING_VAR).optRequiresGrad(false)
                    .optShape(new Shape(spec.out())).optInitializer(new ConstantInitializer(1f)).build());
        }
        if (weightSettings != null) {
            weightQuantizer = new BayesianBitsQuantizer(spec.name() + ".weight", "wq_", weightSettings);
            weightQuantizer.parameters().forEach(this::addParameter);
        }
        if (outputSettings != null) {
            BayesianBitsQuantizer aq = new BayesianBitsQuantizer(spec.name() + ".output", "aq_", outputSettings);
            aq.setNonNegativeInput(spec.activation() == ArtifactNode.Activation.RELU);
            outputQuantizer = aq;
            outputQuantizer.parameters().forEach(this::addParameter);
        }
    }

    public LayerSpec spec() {
        return spec;
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public long macs() {
        return spec.macs();
    }

    @Override
    public int outChannels() {
        return spec.out();
    }

    @Override
    public Quantizer weightQuantizer() {
        return weightQuantizer;
    }

    @Override
    public Quantizer outputQuantizer() {
        return outputQuantizer;
    }

    public boolean isFrozen() {
        return frozen;
    }

    public Parameter weightParameter() {
        return weight;
    }

    /** Float bias (plain or statically folded layer), or null. */
    public Parameter biasParameter() {
        return bias;
    }

    /** BN parameters (null unless BN-folded and not frozen): gamma, beta, running mean, running var. */
    public Parameter[] batchNormParameters() {
        return gamma == null ? null : new Parameter[] {gamma, beta, runningMean, runningVar};
    }

    // ---------------------------------------------------------------- forward

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(inputs.singletonOrThrow(), training));
    }

    /** The layer function on one input batch. */
    public NDArray forward(NDArray x, boolean training) {
        NDManager m = x.getManager();
        NDArray w = Local.on(m, weight.getArray());
        NDArray y;
        if (gamma != null) {
            y = batchNormFolded(x, w, training);
        } else {
            NDArray wq = weightQuantizer == null ? w : weightQuantizer.quantize(w, training);
            y = op(x, wq, bias == null ? null : Local.on(m, bias.getArray()));
        }
        if (spec.activation() == ArtifactNode.Activation.RELU) {
            y = Activation.relu(y);
        }
        // The quantizer is monotone non-decreasing, so max-pool commutes with it (spec §5.2): quantizing
        // the pooled tensor gives identical values on a quarter of the elements. Gradients differ only
        // where several elements of a window share the top code: the reference routes them to the first
        // such element, this order to the window's true maximum.
        if (spec.pool() != null) {
            LayerSpec.PoolSpec p = spec.pool();
            y = y.getNDArrayInternal().maxPool(new Shape(p.kernel(), p.kernel()), new Shape(p.stride(), p.stride()),
                    new Shape(p.padding(), p.padding()), false);
        }
        if (outputQuantizer != null) {
            y = outputQuantizer.quantize(y, training);
        }
        return y;
    }

    private NDArray batchNormFolded(NDArray x, NDArray w, boolean training) {
        NDManager m = x.getManager();
        NDArray g = Local.on(m, gamma.getArray());
        NDArray t = Local.on(m, beta.getArray());
        NDArray sigmaRun = Local.on(m, runningVar.getArray()).add(Local.scalar(m, BN_EPS)).sqrt();
        NDArray folded = w.mul(g.div(sigmaRun).reshape(weightChannelShape()));
        NDArray wq = weightQuantizer == null ? folded : weightQuantizer.quantize(folded, training);
        NDArray yq = op(x, wq, null);
        Shape cs = channelShape(yq.getShape().dimension());
        if (!training) {
            NDArray mean = Local.on(m, runningMean.getArray());
            return yq.add(t.sub(g.mul(mean).div(sigmaRun)).reshape(cs));
        }
        NDArray raw = op(x, w, null);
        int[] axes = spec.isConv() ? new int[] {0, 2, 3} : new int[] {0};
        NDArray mu = meanOver(raw, axes);
        NDArray biasedVar = meanOver(raw.sub(mu.reshape(cs)).square(), axes);
        NDArray sigmaB = biasedVar.add(Local.scalar(m, BN_EPS)).sqrt();
        NDArray y = yq.mul(sigmaRun.div(sigmaB).reshape(cs)).add(t.sub(g.mul(mu).div(sigmaB)).reshape(cs));
        long n = raw.size() / spec.out();
        updateRunningStats(mu.stopGradient(), biasedVar.stopGradient().mul((float) n / Math.max(1, n - 1)));
        return y;
    }

    /** Mean over several axes (the engine reduces one axis at a time); axes ascending. */
    static NDArray meanOver(NDArray x, int[] axes) {
        NDArray r = x;
        for (int i = axes.length - 1; i >= 0; i--) {
            r = r.mean(new int[] {axes[i]});
        }
        return r;
    }

    private void updateRunningStats(NDArray batchMean, NDArray unbiasedVar) {
        NDArray rm = runningMean.getArray();
        NDArray rv = runningVar.getArray();
        // In place on the device, without a graph: a host round trip here would synchronise a GPU twice per
        // layer and batch. Same float32 ops as new = batch·m + running·(1 − m) (the sum is commutative).
        try (NoGrad ignored = NoGrad.open()) {
            NDArray a = batchMean.mul(BN_MOMENTUM);
            rm.muli(1 - BN_MOMENTUM).addi(a);
            a.close();
            NDArray b = unbiasedVar.mul(BN_MOMENTUM);
            rv.muli(1 - BN_MOMENTUM).addi(b);
            b.close();
        }
    }

    /** Per-output-channel broadcast shape for the weight: {@code [out,1,1,1]} or {@code [out,1]}. */
    private Shape weightChannelShape() {
        return spec.isConv() ? new Shape(spec.out(), 1, 1, 1) : new Shape(spec.out(), 1);
    }

    /** Per-channel broadcast shape for an activation of the given rank: {@code [1,C,1,1]} or {@code [1,C]}. */
    private Shape channelShape(int rank) {
        long[] dims = new long[rank];
        java.util.Arrays.fill(dims, 1L);
        dims[1] = spec.out();
        return new Shape(dims);
    }

    private NDArray op(NDArray x, NDArray w, NDArray b) {
        if (spec.isConv()) {
            return x.getNDArrayInternal().convolution(x, w, b, new Shape(spec.stride(), spec.stride()),
                    new Shape(spec.padding(), spec.padding()), new Shape(1, 1), 1).head();
        }
        return x.getNDArrayInternal().linear(x, w, b).head();
    }

    // ---------------------------------------------------------------- fixed-gate swap (§9)

    /**
     * Spec §9 steps 1–3: replaces the Bayesian Bits quantizers by fixed-bit quantizers and folds
     * batch norm statically into a trainable weight and bias (running statistics at this moment).
     * The replaced parameters are removed from this block and the new ones registered.
     */
    public void freeze(NDManager manager) {
        if (frozen) {
            return;
        }
        if (gamma != null) {
            try (NDManager tmp = manager.newSubManager()) {
                NDArray g = Local.on(tmp, gamma.getArray());
                NDArray t = Local.on(tmp, beta.getArray());
                NDArray sigmaRun = Local.on(tmp, runningVar.getArray()).add(BN_EPS).sqrt();
                NDArray w = Local.on(tmp, weight.getArray());
                NDArray folded = w.mul(g.div(sigmaRun).reshape(weightChannelShape()));
                NDArray b = t.sub(g.mul(Local.on(tmp, runningMean.getArray())).div(sigmaRun));
                weight.getArray().set(folded.toFloatArray());
                bias = Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                        .optArray(manager.create(b.toFloatArray())).build();
            }
            bias.initialize(manager, DataType.FLOAT32);
            for (Parameter p : new Parameter[] {gamma, beta, runningMean, runningVar}) {
                parameters.remove(p.getName());
                p.close();
            }
            gamma = null;
            beta = null;
            runningMean = null;
            runningVar = null;
            addParameter(bias);
        }
        weightQuantizer = swap(weightQuantizer, "wq_", manager);
        outputQuantizer = swap(outputQuantizer, "aq_", manager);
        frozen = true;
    }

    private Quantizer swap(Quantizer q, String prefix, NDManager manager) {
        if (!(q instanceof BayesianBitsQuantizer bb)) {
            return q;
        }
        FixedBitQuantizer fixed = bb.freeze(prefix, manager);
        for (Parameter p : bb.parameters()) {
            parameters.remove(p.getName());
            p.close();
        }
        fixed.parameters().forEach(this::addParameter);
        return fixed;
    }

    // ---------------------------------------------------------------- shapes and state

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long n = inputShapes[0].get(0);
        if (spec.isConv()) {
            return new Shape[] {new Shape(n, spec.out(), spec.pooledHeight(), spec.pooledWidth())};
        }
        return new Shape[] {new Shape(n, spec.out())};
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        os.writeBoolean(frozen);
        QuantizerState.write(os, weightQuantizer);
        QuantizerState.write(os, outputQuantizer);
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException("layer " + spec.name() + ": unsupported state version " + loadVersion);
        }
        boolean savedFrozen = is.readBoolean();
        if (savedFrozen != frozen) {
            throw new MalformedModelException("layer " + spec.name() + ": checkpoint is " + (savedFrozen ? "" : "not ")
                    + "from the fixed-gate phase but the model is " + (frozen ? "" : "not ")
                    + "(call freezeToFixedGates() before loading a fine-tuning checkpoint)");
        }
        QuantizerState.read(is, weightQuantizer, spec.name() + ".weight");
        QuantizerState.read(is, outputQuantizer, spec.name() + ".output");
    }
}
