package bitsweep.bops;

import java.util.List;
import java.util.Map;

/**
 * The BOP structure of a model: every conv/linear layer in module order, the quantizer groups
 * (spec §5.2) and, per layer, the layer whose kept output channels also prune this layer's input
 * channels (spec §7.3: the previous layer in sequential models, {@code features.0 → features.1}
 * in ResNet blocks).
 */
public record BopsLayout(List<BopsLayer> layers, List<QuantizerGroup> groups, Map<BopsLayer, BopsLayer> inputPrunedBy,
                         boolean pruneOnlyRun) {

    /** Sequential model (LeNet-5, VGG-7): group j = (activation of layer j−1, weights of layer j). */
    public static BopsLayout sequential(List<BopsLayer> layers, boolean pruneOnlyRun) {
        List<QuantizerGroup> groups = new java.util.ArrayList<>();
        Map<BopsLayer, BopsLayer> prev = new java.util.LinkedHashMap<>();
        for (int j = 0; j < layers.size(); j++) {
            BopsLayer layer = layers.get(j);
            if (j == 0) {
                groups.add(QuantizerGroup.networkInput(layer));
            } else {
                BopsLayer before = layers.get(j - 1);
                groups.add(new QuantizerGroup(before::outputQuantizer, List.of(layer)));
                prev.put(layer, before);
            }
        }
        return new BopsLayout(List.copyOf(layers), List.copyOf(groups), prev, pruneOnlyRun);
    }

    /** Σ 32·32·MACs over every conv/linear layer. */
    public double baselineBops() {
        double total = 0;
        for (BopsLayer l : layers) {
            total += 1024.0 * l.macs();
        }
        return total;
    }

    public long totalMacs() {
        long total = 0;
        for (BopsLayer l : layers) {
            total += l.macs();
        }
        return total;
    }

    public long maxMacs() {
        long max = 0;
        for (BopsLayer l : layers) {
            max = Math.max(max, l.macs());
        }
        return max;
    }
}
