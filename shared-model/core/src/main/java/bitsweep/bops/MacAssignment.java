package bitsweep.bops;

import bitsweep.quant.Quantizer;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * MAC counts of the quantizers for the BOP regulariser (spec §5.2): a weight quantizer gets its
 * layer's MACs, a group's activation quantizer the sum over the group's layers, and quantizers outside
 * every group none (unit cost). With prune-only, activation quantizers get no MAC count.
 */
public final class MacAssignment {

    private final Map<Quantizer, Long> macs = new IdentityHashMap<>();
    private final long maxMacs;

    public MacAssignment(BopsLayout layout) {
        this.maxMacs = layout.maxMacs();
        for (QuantizerGroup g : layout.groups()) {
            long sum = 0;
            for (BopsLayer l : g.layers()) {
                sum += l.macs();
                if (l.weightQuantizer() != null) {
                    macs.put(l.weightQuantizer(), l.macs());
                }
            }
            if (!g.fedByNetworkInput() && !layout.pruneOnlyRun()) {
                Quantizer a = g.activation().get();
                if (a != null) {
                    macs.put(a, sum);
                }
            }
        }
    }

    /** MACs assigned to {@code q}, or null when it has none. */
    public Long macsOf(Quantizer q) {
        return macs.get(q);
    }

    /** {@code M_max}: the largest layer's MACs over all conv/linear layers. */
    public long maxMacs() {
        return maxMacs;
    }

    /** Per-bit costs {@code c(2), c(4), c(8), c(16), c(32)} of a quantizer (spec §5.1). */
    public float[] stepCosts(Quantizer q, boolean bopPrior) {
        Long m = macs.get(q);
        float[] c = new float[5];
        for (int i = 0; i < 5; i++) {
            int bits = 2 << i;
            c[i] = bopPrior && m != null ? (float) ((double) m / maxMacs * bits) : 1f;
        }
        return c;
    }
}
