package bitsweep.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import bitsweep.artifact.QuantSpec;
import java.util.List;

/**
 * The frozen quantizer of fixed-gate fine-tuning (spec §9 step 2):
 * {@code x_q = m ⊙ s_b·ste_round(clip(x)/s_b)} with the clip of §2.2, the scale chain of §2.3, a
 * trainable {@code x_max}, no gates and no regulariser. Exactly the semantics documented on
 * {@link QuantSpec}; a null spec means an unquantized tensor that is only masked (FP32 prune-only).
 */
public final class FixedBitQuantizer implements Quantizer {

    private final String name;
    private final QuantSpec spec;
    private final boolean[] keep;
    private final float[] keepValues;
    private final boolean signed;
    private final Parameter xMax;

    FixedBitQuantizer(String name, String prefix, QuantSpec spec, boolean[] keep, boolean signed, NDManager manager) {
        this.name = name;
        this.spec = spec;
        this.signed = signed;
        this.keep = keep == null || allTrue(keep) ? null : keep.clone();
        this.keepValues = this.keep == null ? null : toFloats(this.keep);
        if (spec == null) {
            this.xMax = null;
        } else {
            this.xMax = Parameter.builder().setName(prefix + ParameterRoles.X_MAX).setType(Parameter.Type.OTHER)
                    .optArray(manager.create(new float[] {spec.xMax()})).build();
            this.xMax.initialize(manager, DataType.FLOAT32);
        }
    }

    /** A stand-alone fixed quantizer (tests, artifact evaluation). */
    public static FixedBitQuantizer of(String name, QuantSpec spec, boolean[] keep, NDManager manager) {
        return new FixedBitQuantizer(name, "", spec, keep, spec != null && spec.signed(), manager);
    }

    public String name() {
        return name;
    }

    @Override
    public NDArray quantize(NDArray x, boolean training) {
        NDManager m = x.getManager();
        NDArray v = Local.on(m, x);
        if (spec != null) {
            NDArray r = Local.on(m, xMax.getArray());
            NDArray top = r.mul(Local.scalar(m, QuantSpec.SHRINK));
            v = training ? Steps.clip(v, top, signed) : Steps.clampValue(v, top.getFloat(0), signed);
            if (spec.bits() < 32) { // 32-bit rounding is below float32 resolution (QuantSpec)
                // codes held to the grid like the artifact's evaluators (QuantSpec): the clip bound can round up
                long maxCode = signed ? (1L << (spec.bits() - 1)) - 1 : (1L << spec.bits()) - 1;
                v = Steps.roundToGrid(v, Steps.step(Steps.baseStep(r, signed), spec.bits()), training,
                        signed ? -maxCode : 0, maxCode);
            }
        }
        if (keepValues != null) {
            v = v.mul(m.create(keepValues).reshape(BayesianBitsQuantizer.channelShape(v.getShape(), keepValues.length)));
        }
        return v;
    }

    @Override
    public List<Parameter> parameters() {
        return xMax == null ? List.of() : List.of(xMax);
    }

    @Override
    public boolean initialized() {
        return true;
    }

    @Override
    public boolean signed() {
        return signed;
    }

    @Override
    public void restoreState(boolean initialized, boolean signed) {
        if (signed != this.signed) {
            throw new IllegalStateException("fixed quantizer " + name + ": checkpoint sign differs from the frozen one");
        }
    }

    @Override
    public float xMax() {
        return xMax == null ? Float.NaN : xMax.getArray().getFloat(0);
    }

    @Override
    public int bopBits(boolean pruneOnlyRun) {
        return spec == null ? 16 : spec.bits();
    }

    @Override
    public boolean[] keepMask() {
        return keep == null ? null : keep.clone();
    }

    /** The spec with the current (possibly fine-tuned) {@code x_max}. */
    @Override
    public QuantSpec frozenSpec() {
        return spec == null ? null : new QuantSpec(spec.bits(), xMax(), signed);
    }

    private static boolean allTrue(boolean[] b) {
        for (boolean v : b) {
            if (!v) {
                return false;
            }
        }
        return true;
    }

    private static float[] toFloats(boolean[] b) {
        float[] f = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            f[i] = b[i] ? 1f : 0f;
        }
        return f;
    }
}
