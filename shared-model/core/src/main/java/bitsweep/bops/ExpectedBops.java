package bitsweep.bops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import bitsweep.quant.BayesianBitsQuantizer;
import bitsweep.quant.Local;
import bitsweep.quant.Quantizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The {@code bop-exact} regulariser (not in the paper; docs/regularisers.md): the BOP count of spec §7.4
 * in expectation over the training-time gates,
 *
 * <pre>  E[BOPs] = Σ_j MACs_j · E[b_A] · E[b_W] · E[k_j] · E[k_prev(j)]</pre>
 *
 * with {@code E[b]} from {@link BayesianBitsQuantizer#expectedBits} and {@code E[k]} the mean
 * probability that a pruning gate is non-zero. Gates of different quantizers are independent, so the
 * expectation of the product is the product of the expectations. The regulariser is
 * {@code E[BOPs] / (4·M_max)}: at the all-8-bit start every bit-gate gradient then equals the
 * {@code bop} prior's, and the weights of a layer fed by the 8-bit network input are priced exactly as
 * by {@code bop} at all times, so MU keeps its meaning. Built from NDArray ops on the caller's
 * manager, with constants as arrays on that manager (never Java numbers on the autograd path).
 */
public final class ExpectedBops {

    /** One BOP term: a layer, its MAC share {@code MACs/(4·M_max)} and where its four factors come from. */
    private record Term(float weight, Supplier<Quantizer> input, boolean networkInput, BopsLayer layer, BopsLayer previous) {
    }

    private final BopsLayout layout;
    private final List<Term> terms = new ArrayList<>();
    private final double relativeBopsPerUnit;

    public ExpectedBops(BopsLayout layout) {
        this.layout = layout;
        double unit = 4.0 * layout.maxMacs();
        for (QuantizerGroup g : layout.groups()) {
            for (BopsLayer l : g.layers()) {
                // the supplier is read at each call: it follows the fixed-gate swap
                terms.add(new Term((float) (l.macs() / unit), g.activation(), g.fedByNetworkInput(), l,
                        layout.inputPrunedBy().get(l)));
            }
        }
        this.relativeBopsPerUnit = 100.0 * unit / layout.baselineBops();
    }

    /** Relative BOPs in percent per unit of the regulariser: {@code 100·4·M_max / baseline} (0.29997 for LeNet-5). */
    public double relativeBopsPerUnit() {
        return relativeBopsPerUnit;
    }

    /** {@code E[BOPs]/(4·M_max)}, a scalar on {@code m} with gradients to every gate and pruning logit. */
    public NDArray regularizer(NDManager m) {
        NDArray sum = null;
        for (Term t : terms) {
            NDArray bA = t.networkInput() ? constant(m, BopsCalculator.INPUT_BITS) : bits(t.input().get(), m, 16);
            NDArray term = constant(m, t.weight()).mul(bA).mul(bits(t.layer().weightQuantizer(), m, 32))
                    .mul(keep(t.layer(), m));
            if (t.previous() != null) {
                term = term.mul(keep(t.previous(), m));
            }
            sum = sum == null ? term : sum.add(term);
        }
        return sum == null ? m.zeros(new Shape()) : sum.reshape(new Shape());
    }

    /** Expected relative BOPs in percent (6.25 for all-8-bit LeNet-5 with deterministic gates). */
    public NDArray expectedRelativeBops(NDManager m) {
        return regularizer(m).mul(constant(m, (float) relativeBopsPerUnit));
    }

    /**
     * {@code E[b]} of a live Bayesian Bits quantizer; otherwise its BOP-accounting bit width as a constant
     * ({@code absent} when there is no quantizer: 32 for float weights, 16 for a never-created activation).
     */
    private NDArray bits(Quantizer q, NDManager m, int absent) {
        if (q instanceof BayesianBitsQuantizer bb && bb.settings().fixedBits() == 0 && !layout.pruneOnlyRun()) {
            return bb.expectedBits(m);
        }
        return constant(m, q == null ? absent : q.bopBits(layout.pruneOnlyRun()));
    }

    /** {@code E[k_out]} from the pruning gates, or the fixed keep ratio of a frozen quantizer, or 1. */
    private static NDArray keep(BopsLayer l, NDManager m) {
        Quantizer q = l.weightQuantizer();
        if (q instanceof BayesianBitsQuantizer bb && bb.hasPruningGates()) {
            return bb.expectedKeepRatio(m);
        }
        boolean[] mask = q == null ? null : q.keepMask();
        if (mask == null) {
            return constant(m, 1f);
        }
        int kept = 0;
        for (boolean k : mask) {
            kept += k ? 1 : 0;
        }
        return constant(m, (float) kept / mask.length);
    }

    private static NDArray constant(NDManager m, float v) {
        return Local.scalar(m, v);
    }
}
