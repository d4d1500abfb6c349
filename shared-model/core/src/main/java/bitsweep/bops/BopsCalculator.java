package bitsweep.bops;

import bitsweep.artifact.LayerBits;
import bitsweep.quant.Quantizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Relative BOPs from the deterministic gates (spec §7.2–§7.4) and the per-layer bit table. */
public final class BopsCalculator {

    /** The network input is always counted at 8 bits (spec §7.2). */
    public static final int INPUT_BITS = 8;

    private BopsCalculator() {
    }

    public static BopsReport report(BopsLayout layout) {
        Map<BopsLayer, Integer> inputBits = new HashMap<>();
        for (QuantizerGroup g : layout.groups()) {
            int bits = g.fedByNetworkInput() ? INPUT_BITS : activationBits(g.activation().get(), layout.pruneOnlyRun());
            for (BopsLayer l : g.layers()) {
                inputBits.put(l, bits);
            }
        }
        Map<BopsLayer, Integer> kept = new HashMap<>();
        for (BopsLayer l : layout.layers()) {
            kept.put(l, keptChannels(l));
        }
        List<LayerBits> rows = new ArrayList<>();
        double total = 0;
        for (BopsLayer l : layout.layers()) {
            int bA = inputBits.getOrDefault(l, 0);
            int bW = weightBits(l, layout.pruneOnlyRun());
            double keep = (double) kept.get(l) / l.outChannels();
            BopsLayer prev = layout.inputPrunedBy().get(l);
            if (prev != null) {
                keep *= (double) kept.get(prev) / prev.outChannels();
            }
            double bops = (double) bA * bW * keep * l.macs();
            total += bops;
            Quantizer out = l.outputQuantizer();
            int outBits = out == null ? 0 : activationBits(out, layout.pruneOnlyRun());
            rows.add(new LayerBits(l.name(), l.macs(), bA, bW, outBits, kept.get(l), l.outChannels(), keep, bops));
        }
        return new BopsReport(total, layout.baselineBops(), List.copyOf(rows));
    }

    private static int activationBits(Quantizer q, boolean pruneOnlyRun) {
        return q == null ? 16 : q.bopBits(pruneOnlyRun); // never-created activation quantizer: 16 (prune-only)
    }

    private static int weightBits(BopsLayer l, boolean pruneOnlyRun) {
        Quantizer q = l.weightQuantizer();
        return q == null ? 32 : q.bopBits(pruneOnlyRun);
    }

    private static int keptChannels(BopsLayer l) {
        Quantizer q = l.weightQuantizer();
        boolean[] keep = q == null ? null : q.keepMask();
        if (keep == null) {
            return l.outChannels();
        }
        int n = 0;
        for (boolean k : keep) {
            n += k ? 1 : 0;
        }
        return n;
    }
}
