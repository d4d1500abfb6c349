package bitsweep.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.ConstantInitializer;
import bitsweep.artifact.QuantSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Bayesian Bits quantizer (spec §2–§4): PACT clip, base scale and scale chain, residual
 * decomposition with nested hard-concrete gates, STE rounding, the −2 rule, per-channel pruning
 * gates and range initialisation from the first call.
 *
 * <p>Parameters (names end in the role, which {@link ParameterRoles} maps to an optimiser group):
 * {@code <prefix>log_alpha} [4] (log α_4, log α_8, log α_16, log α_32), {@code <prefix>prune_log_alpha}
 * [C_out] (weights with pruning only), {@code <prefix>x_max} [1] (range mode; {@code s_2} in scale
 * mode) and the inert {@code <prefix>x_min} [1] (no gradient). Gate decisions (−2 rule, skipping
 * terms whose gate is 0) need host values of a handful of floats per call; the tensor math stays
 * in float32 NDArrays on the input's manager.
 */
public final class BayesianBitsQuantizer implements Quantizer {

    private static final float PLACEHOLDER_MAX = 10f;

    private final String name;
    private final QuantizerSettings settings;
    private final Parameter logAlpha;
    private final Parameter pruneLogAlpha;
    private final Parameter range;
    private final Parameter xMin;
    private boolean initialized;
    private boolean signed = true;
    private boolean nonNegativeInput;

    /**
     * @param name   human-readable name, e.g. {@code conv1.weight}
     * @param prefix prefix of the parameter names, unique within the owning block
     */
    public BayesianBitsQuantizer(String name, String prefix, QuantizerSettings settings) {
        this.name = name;
        this.settings = settings;
        double[] g = settings.gateInit();
        float[] init = {(float) g[0], (float) g[1], (float) g[2], (float) g[3]};
        this.logAlpha = Parameter.builder().setName(prefix + ParameterRoles.GATE_LOG_ALPHA)
                .setType(Parameter.Type.OTHER).optShape(new Shape(4))
                .optInitializer(new ValuesInitializer(init)).build();
        this.pruneLogAlpha = settings.pruneChannels() == 0 ? null
                : Parameter.builder().setName(prefix + ParameterRoles.PRUNE_LOG_ALPHA)
                        .setType(Parameter.Type.OTHER).optShape(new Shape(settings.pruneChannels()))
                        .optInitializer(new ConstantInitializer(QuantizerSettings.PRUNE_INIT)).build();
        boolean scaleMode = settings.learnedScale() == LearnedScale.SCALE;
        this.range = Parameter.builder()
                .setName(prefix + (scaleMode ? ParameterRoles.S2 : ParameterRoles.X_MAX))
                .setType(Parameter.Type.OTHER).optShape(new Shape(1))
                .optRequiresGrad(settings.learnedScale() != LearnedScale.NONE)
                .optInitializer(new ConstantInitializer(scaleMode ? 2 * PLACEHOLDER_MAX / 3 : PLACEHOLDER_MAX))
                .build();
        this.xMin = Parameter.builder().setName(prefix + ParameterRoles.X_MIN)
                .setType(Parameter.Type.OTHER).optShape(new Shape(1)).optRequiresGrad(false)
                .optInitializer(new ConstantInitializer(-PLACEHOLDER_MAX)).build();
    }

    public String name() {
        return name;
    }

    /**
     * Declares that every input is ≥ 0 (the quantizer follows a ReLU). The unsigned clip then skips
     * its inner {@code relu(x)}: identical values, and identical gradients through the preceding ReLU,
     * whose derivative already vanishes where the inner relu's would (spec §12.8).
     */
    public void setNonNegativeInput(boolean value) {
        this.nonNegativeInput = value;
    }

    public QuantizerSettings settings() {
        return settings;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> list = new ArrayList<>(List.of(logAlpha));
        if (pruneLogAlpha != null) {
            list.add(pruneLogAlpha);
        }
        list.add(range);
        list.add(xMin);
        return list;
    }

    public Parameter logAlphaParameter() {
        return logAlpha;
    }

    /** Pruning logits, or null. */
    public Parameter pruneLogAlphaParameter() {
        return pruneLogAlpha;
    }

    /** {@code x_max} (range/none mode) or {@code s_2} (scale mode). */
    public Parameter rangeParameter() {
        return range;
    }

    public boolean hasPruningGates() {
        return pruneLogAlpha != null;
    }

    @Override
    public boolean initialized() {
        return initialized;
    }

    @Override
    public boolean signed() {
        return signed;
    }

    @Override
    public void restoreState(boolean initialized, boolean signed) {
        this.initialized = initialized;
        this.signed = signed;
    }

    @Override
    public float xMax() {
        float v = range.getArray().getFloat(0);
        return settings.learnedScale() == LearnedScale.SCALE ? QuantSpec.SHRINK * 3f * v : v;
    }

    public float xMinValue() {
        return xMin.getArray().getFloat(0);
    }

    /** Host copy of log α_4 … log α_32. */
    public float[] gateLogits() {
        return logAlpha.getArray().toFloatArray();
    }

    /** Host copy of the pruning logits, or null. */
    public float[] pruneLogits() {
        return pruneLogAlpha == null ? null : pruneLogAlpha.getArray().toFloatArray();
    }

    // ---------------------------------------------------------------- forward

    @Override
    public NDArray quantize(NDArray x, boolean training) {
        return quantize(x, training, null);
    }

    /**
     * {@link #quantize(NDArray, boolean)} with the uniform draws of the training gates given ({@code [4 + C_out]}:
     * log α_4 … log α_32, then the pruning gates), or drawn here when null. Lets the equivalence tests put every
     * gate sample where they want it (exactly 0, exactly 1 or inside (0, 1)).
     */
    NDArray quantize(NDArray x, boolean training, NDArray gateNoise) {
        NDManager m = x.getManager();
        if (!initialized) {
            initializeRange(x);
        }
        NDArray v = Local.on(m, x);
        boolean quantizes = !(settings.pruneOnly() && settings.fixedBits() == 0);
        NDArray s2 = null;
        if (quantizes) {
            NDArray r = Local.on(m, range.getArray());
            NDArray clipTop;
            if (settings.learnedScale() == LearnedScale.SCALE) {
                s2 = r;
                clipTop = r.mul(Local.scalar(m, 3f)).mul(Local.scalar(m, QuantSpec.SHRINK)).mul(Local.scalar(m, QuantSpec.SHRINK));
            } else {
                s2 = Steps.baseStep(r, signed);
                clipTop = r.mul(Local.scalar(m, QuantSpec.SHRINK));
            }
            if (settings.learnedScale() != LearnedScale.NONE) {
                if (!training) {
                    v = Steps.clampValue(v, clipTop.getFloat(0), signed); // exact clamp: no gradient needed
                } else if (!signed && nonNegativeInput) {
                    v = Steps.clipNonNegative(v, clipTop);
                } else {
                    v = Steps.clip(v, clipTop, signed);
                }
            }
            if (settings.fixedBits() != 0) {
                // spec §2.6: STE rounding even in eval (same forward value)
                v = Steps.roundToStep(v, Steps.step(s2, settings.fixedBits()), true);
            }
        }
        if (settings.fixedBits() != 0 && !settings.pruneOnly()) {
            return v; // no gates at all, even if pruning gates exist (spec §2.6 step 4)
        }
        Gates g = training ? sampledGates(m, gateNoise) : deterministicGates(m);
        if (!settings.pruneOnly()) {
            NDArray xc = v;
            v = decompose(xc, s2, g, training);
            if (xc != x && xc.getManager() == m && xc != v) {
                xc.close(); // the clip's output: autograd holds its own reference where backward needs it
            }
        }
        NDArray out = prune(v, g);
        if (out != v && v != x) {
            v.close();
        }
        return out;
    }

    /**
     * The gates of one forward pass. {@code active} is the number of gates the −2 rule leaves; {@code z} holds
     * z_4 … z_32 on the host with the −2 rule applied (a cut gate is 0); {@code zArray} the same gates as a
     * differentiable array (null in eval); {@code zPrune} the pruning gates as an array and {@code zPruneHost}
     * on the host (both null without pruning gates).
     */
    private record Gates(int active, float[] z, NDArray zArray, NDArray zPrune, float[] zPruneHost) {
    }

    /**
     * Training gates: one hard-concrete draw for z_4 … z_32 and the pruning gates together, and <em>one</em>
     * host read per quantizer and forward (logits and samples in one array). The host values are needed
     * anyway: the −2 rule, skipping terms behind a zero gate and the clamped-gate fast path are decisions on
     * them. On a GPU that read is a small synchronisation per quantizer (tens of floats), not a copy of
     * any activation.
     */
    private Gates sampledGates(NDManager m, NDArray gateNoise) {
        NDArray logits = Local.on(m, logAlpha.getArray());
        int c = pruneLogAlpha == null ? 0 : settings.pruneChannels();
        NDArray all = c == 0 ? logits : logits.concat(Local.on(m, pruneLogAlpha.getArray()));
        NDArray zAll;
        if (settings.gatingMethod() == GatingMethod.L0) {
            zAll = gateNoise == null ? HardConcrete.sample(all, m) : HardConcrete.sample(all, gateNoise, m);
        } else {
            zAll = HardConcrete.fixedGate(all);
        }
        float[] host = all.stopGradient().concat(zAll.stopGradient()).toFloatArray();
        int n = 4 + c;
        int active = activeGates(host);
        float[] z = new float[4];
        System.arraycopy(host, n, z, 0, active); // spec §3.3: a cut gate and every higher one are 0
        NDArray zArray = c == 0 ? zAll : zAll.get(new NDIndex("0:4"));
        if (c == 0) {
            return new Gates(active, z, zArray, null, null);
        }
        return new Gates(active, z, zArray, zAll.get(new NDIndex("4:")), Arrays.copyOfRange(host, n + 4, n + n));
    }

    /** Eval gates: the deterministic rule (spec §3.4) with the −2 rule; constants, no graph. */
    private Gates deterministicGates(NDManager m) {
        float[] la = gateLogits();
        int active = activeGates(la);
        float[] z = new float[4];
        for (int k = 0; k < active; k++) {
            z[k] = HardConcrete.deterministicOn(la[k]) ? 1f : 0f;
        }
        if (pruneLogAlpha == null) {
            return new Gates(active, z, null, null, null);
        }
        float[] logits = pruneLogits();
        float[] mask = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            mask[i] = HardConcrete.deterministicOn(logits[i]) ? 1f : 0f;
        }
        return new Gates(active, z, null, allOnes(mask) ? null : m.create(mask), mask);
    }

    /**
     * The residual decomposition with nested gates (spec §2.4). When every gate that matters is exactly 0 or
     * 1 (z_4 … z_b = 1, z_2b = 0 or b = 32) the result is direct b-bit quantization {@code s_b·ste_round(x_c/s_b)}:
     * the same value (to an ulp: {@link Steps#roundToGrid}), the same gradients to x and to the
     * range (the residual terms telescope) and zero gradient to every log α (a clamped sample has zero
     * derivative), so that path is taken; {@code BayesianBitsFastPathTest} checks the equivalence.
     */
    private NDArray decompose(NDArray xc, NDArray s2, Gates g, boolean training) {
        float[] z = g.z();
        int depth = 0;
        while (depth < 4 && z[depth] > 0f) {
            depth++;
        }
        boolean clamped = true;
        for (int k = 0; k < depth; k++) {
            clamped &= z[k] == 1f;
        }
        if (literal) {
            lastFast = false;
            return literalDecomposition(xc, s2, g, training);
        }
        lastFast = clamped;
        if (clamped) {
            int bits = 2 << depth;
            float top = signed ? (float) ((1L << (bits - 1)) - 1) : (float) ((1L << bits) - 1);
            return Steps.roundToGrid(xc, Steps.step(s2, bits), training, signed ? -top : 0f, top);
        }
        // tensor-sized temporaries are closed once read (autograd keeps what backward needs)
        List<NDArray> temps = new ArrayList<>();
        NDArray q2 = Steps.roundToStep(xc, s2, training);
        temps.add(q2);
        NDArray[] e = new NDArray[depth];
        NDArray residual = xc.sub(q2);
        NDArray step = s2;
        for (int k = 0; k < depth; k++) {
            temps.add(residual);
            step = step.div(Local.scalar(step, Steps.CHAIN[k]));
            e[k] = Steps.roundToStep(residual, step, training); // residuals use the ungated terms
            temps.add(e[k]);
            if (k + 1 < depth) {
                residual = residual.sub(e[k]);
            }
        }
        NDArray inner = null;
        for (int k = depth - 1; k >= 0; k--) {
            NDArray t = inner == null ? e[k] : e[k].add(inner);
            temps.add(t);
            // a gate of exactly 1 is a clamped sample: multiplying by it changes neither value nor gradient
            inner = z[k] == 1f ? t : t.mul(g.zArray().get(k));
            temps.add(inner);
        }
        NDArray out = q2.add(inner);
        temps.forEach(NDArray::close); // closing twice is a no-op in DJL
        return out;
    }

    /**
     * Spec §2.4 as written, without any shortcut: every term up to the −2 cut-off is computed and multiplied by
     * its gate, whatever the gates' values. The reference the fast path and the lazy evaluation are tested
     * against.
     */
    private NDArray literalDecomposition(NDArray xc, NDArray s2, Gates g, boolean training) {
        NDManager m = xc.getManager();
        int active = g.active();
        NDArray q2 = Steps.roundToStep(xc, s2, training);
        if (active == 0) {
            return q2;
        }
        NDArray zArray = g.zArray() != null ? g.zArray() : m.create(g.z());
        NDArray[] e = new NDArray[active];
        NDArray residual = xc.sub(q2);
        NDArray step = s2;
        for (int k = 0; k < active; k++) {
            step = step.div(Local.scalar(step, Steps.CHAIN[k]));
            e[k] = Steps.roundToStep(residual, step, training);
            residual = residual.sub(e[k]);
        }
        NDArray inner = null;
        for (int k = active - 1; k >= 0; k--) {
            NDArray t = inner == null ? e[k] : e[k].add(inner);
            inner = t.mul(zArray.get(k));
        }
        return q2.add(inner);
    }

    /** Spec §3.3: how many of z_4 … z_32 are evaluated; a logit ≤ −2 switches its gate and every higher one off. */
    private static int activeGates(float[] logits) {
        int active = 0;
        while (active < 4 && logits[active] > HardConcrete.CUTOFF) {
            active++;
        }
        return active;
    }

    private NDArray prune(NDArray x, Gates g) {
        if (g.zPrune() == null || allOnes(g.zPruneHost())) {
            return x;
        }
        return x.mul(g.zPrune().reshape(channelShape(x.getShape(), settings.pruneChannels())));
    }

    private static boolean allOnes(float[] z) {
        for (float v : z) {
            if (v != 1f) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- test seams

    private boolean literal;
    private boolean lastFast;

    /** Tests only: compute spec §2.4 literally (no fast path, no lazy terms) instead of the fast/lazy paths. */
    void useLiteralDecomposition(boolean value) {
        this.literal = value;
    }

    /** Tests only: whether the last forward pass took the clamped-gate fast path. */
    boolean lastForwardWasFast() {
        return lastFast;
    }

    static Shape channelShape(Shape x, int c) {
        long[] dims = new long[x.dimension()];
        Arrays.fill(dims, 1L);
        dims[0] = c;
        return new Shape(dims);
    }

    /** Spec §4: range and sign from the first tensor seen; never re-initialised. */
    private void initializeRange(NDArray x) {
        float max;
        float min;
        try (NDArray mx = x.max(); NDArray mn = x.min()) {
            max = mx.getFloat();
            min = mn.getFloat();
        }
        float lo = Math.min(min, 0f);
        float hi = Math.max(max, 0f);
        signed = lo < 0f;
        float rangeValue = hi;
        if (settings.learnedScale() == LearnedScale.SCALE) {
            rangeValue = (signed ? hi - (-hi) : hi) / 3f;
        }
        // indexed assignment copies into the parameter's own (torch-owned) storage; set(float[]) would
        // re-point it at a Java direct buffer. No grad: an in-place write into a leaf is refused otherwise.
        try (bitsweep.autograd.NoGrad ignored = bitsweep.autograd.NoGrad.open()) {
            range.getArray().set(new NDIndex(0), rangeValue);
            xMin.getArray().set(new NDIndex(0), lo);
        }
        initialized = true;
    }

    // ---------------------------------------------------------------- deterministic reading (§7.2, §9)

    /** Bits from the deterministic gates with the −2 rule: 2^n, n = 1 + nested count of on gates. */
    public int deterministicBits() {
        float[] la = gateLogits();
        int n = 1;
        for (int k = 0; k < 4; k++) {
            if (la[k] > HardConcrete.CUTOFF && HardConcrete.deterministicOn(la[k])) {
                n++;
            } else {
                break;
            }
        }
        return 1 << n;
    }

    @Override
    public int bopBits(boolean pruneOnlyRun) {
        if (settings.fixedBits() != 0) {
            return settings.fixedBits();
        }
        return pruneOnlyRun ? 16 : deterministicBits();
    }

    @Override
    public boolean[] keepMask() {
        if (pruneLogAlpha == null) {
            return null;
        }
        float[] la = pruneLogits();
        boolean[] keep = new boolean[la.length];
        for (int i = 0; i < la.length; i++) {
            keep[i] = HardConcrete.deterministicOn(la[i]);
        }
        return keep;
    }

    @Override
    public QuantSpec frozenSpec() {
        if (settings.pruneOnly() && settings.fixedBits() == 0) {
            return null;
        }
        int bits = settings.fixedBits() != 0 ? settings.fixedBits() : deterministicBits();
        return new QuantSpec(bits, xMax(), signed);
    }

    /**
     * Spec §9 steps 1–2: the fixed-bit quantizer with the frozen bit width, pruning mask and a new
     * trainable {@code x_max} (created on {@code manager}, the model's manager) at the learned value.
     */
    public FixedBitQuantizer freeze(String prefix, NDManager manager) {
        if (!initialized) {
            throw new IllegalStateException("quantizer " + name + " was never called; run the range initialisation first");
        }
        boolean[] mask = settings.pruneOnly() || settings.fixedBits() == 0 ? keepMask() : null;
        return new FixedBitQuantizer(name, prefix, frozenSpec(), mask, signed, manager);
    }

    // ---------------------------------------------------------------- regulariser (§5.1)

    /**
     * {@code R_i} as a scalar on {@code manager}, differentiable w.r.t. the gate logits.
     *
     * @param stepCost per-bit costs {@code c(2), c(4), c(8), c(16), c(32)}
     */
    public NDArray regularizer(NDManager manager, float[] stepCost) {
        NDArray offset = Local.scalar(manager, (float) HardConcrete.LOG_RATIO);
        NDArray p = Activation.sigmoid(Local.on(manager, logAlpha.getArray()).sub(offset));
        NDArray chain = p.cumProd(0);
        NDArray steps = chain.mul(manager.create(Arrays.copyOfRange(stepCost, 1, 5))).sum();
        if (pruneLogAlpha == null) {
            return steps.add(Local.scalar(manager, 1f));
        }
        NDArray p2 = Activation.sigmoid(Local.on(manager, pruneLogAlpha.getArray()).sub(offset)).mean();
        return p2.mul(steps.add(Local.scalar(manager, stepCost[0])));
    }

    // ---------------------------------------------------------------- expected bit width and keep ratio (bop-exact)

    /** Bit-width increments b − b/2 of the steps 2→4, 4→8, 8→16, 16→32. */
    private static final float[] STEP_GAIN = {2f, 4f, 8f, 16f};

    /**
     * Expected effective bit width under the training gates, a scalar on {@code manager}:
     * {@code E[b] = 2 + Σ_k P(z_4 > 0)·…·P(z_k > 0)·(k − k/2)}, k = 4…32 (the nested gates make the
     * k-bit residual count only when every lower gate is on). Gates that the −2 rule cuts are off in
     * every forward pass, so their probability is taken as exactly 0 (the rule's deterministic
     * counterpart): they add nothing and get no gradient, just as in the forward pass.
     */
    public NDArray expectedBits(NDManager manager) {
        NDArray offset = Local.scalar(manager, (float) HardConcrete.LOG_RATIO);
        NDArray p = Activation.sigmoid(Local.on(manager, logAlpha.getArray()).sub(offset));
        int active = activeGates(gateLogits());
        if (active < 4) {
            float[] mask = new float[4];
            Arrays.fill(mask, 0, active, 1f);
            p = p.mul(manager.create(mask));
        }
        return p.cumProd(0).mul(manager.create(STEP_GAIN)).sum().add(Local.scalar(manager, 2f));
    }

    /** Expected output keep ratio {@code mean_c P(z_2c > 0)} on {@code manager}, or null without pruning gates. */
    public NDArray expectedKeepRatio(NDManager manager) {
        if (pruneLogAlpha == null) {
            return null;
        }
        NDArray offset = Local.scalar(manager, (float) HardConcrete.LOG_RATIO);
        return Activation.sigmoid(Local.on(manager, pruneLogAlpha.getArray()).sub(offset)).mean();
    }

    @Override
    public String toString() {
        return "BayesianBitsQuantizer[" + name + "]";
    }
}
