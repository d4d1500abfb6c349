package bitsweep.export;

import bitsweep.artifact.ArtifactNode.QuantLayer;
import bitsweep.artifact.ArtifactNode;
import bitsweep.artifact.FixedGateArtifact;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which pruned (0-bit) channels are physically removed from the exported network and how
 * the constant they still emit is preserved (spec §12 item 14).
 *
 * <p>A pruned output channel c of a layer emits the constant {@code k = outputQuant(act(bias_c))}
 * everywhere (max-pool and global average pool keep it constant). The channel is removed when every
 * consumer of it is a linear layer or an unpadded conv: there each output sees {@code k} at every
 * tap, so {@code k · Σ W_q[o, c, …]} is folded into that layer's bias, with the consumer's
 * <em>quantized</em> weights. A padded conv sees zeros at the border instead of {@code k}, so a
 * channel with {@code k ≠ 0} feeding one is kept with zero weights; {@code k = 0} is removable
 * everywhere. Channels that reach a residual addition or the network output are always kept,
 * because the other operand still has them.
 */
final class ChannelPlan {

    /** A consumer layer reached by a pruned channel; {@code block} = features per channel after a flatten. */
    private record Target(QuantLayer layer, int block) {
    }

    private final FixedGateArtifact artifact;
    private final NodeShapes shapes;
    private final Map<String, List<ArtifactNode>> consumers = new HashMap<>();
    private final Map<String, QuantizedWeights> weights = new HashMap<>();
    private final Map<String, boolean[]> removedOut = new HashMap<>();
    private final Map<String, double[]> biasDelta = new HashMap<>();
    private final Map<String, int[]> kept = new HashMap<>();
    /** Per layer: pruned channels kept with zero weights. */
    private final Map<String, Integer> keptZeroPerLayer = new LinkedHashMap<>();
    private int removed;
    private int keptZero;

    private ChannelPlan(FixedGateArtifact artifact, NodeShapes shapes) {
        this.artifact = artifact;
        this.shapes = shapes;
        for (ArtifactNode node : artifact.nodes()) {
            for (String in : node.inputs()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(node);
            }
        }
    }

    /** Removes what can be removed exactly (the quantized export). */
    static ChannelPlan pruned(FixedGateArtifact artifact, NodeShapes shapes) {
        ChannelPlan plan = new ChannelPlan(artifact, shapes);
        for (ArtifactNode node : artifact.nodes()) {
            if (node instanceof QuantLayer layer && layer.keep() != null) {
                plan.decide(layer);
            }
        }
        plan.computeKept();
        return plan;
    }

    /** Keeps every channel (the float32 size baseline). */
    static ChannelPlan unpruned(FixedGateArtifact artifact, NodeShapes shapes) {
        ChannelPlan plan = new ChannelPlan(artifact, shapes);
        plan.computeKept();
        return plan;
    }

    QuantizedWeights weights(QuantLayer layer) {
        return weights.computeIfAbsent(layer.name(), k -> QuantizedWeights.of(artifact, layer));
    }

    /** Original indices of the channels (or flattened features) of {@code node}'s output that are exported. */
    int[] kept(String node) {
        return kept.get(node);
    }

    /** Amount to add to each original output channel's bias of {@code layer}, or null. */
    double[] biasDelta(String layer) {
        return biasDelta.get(layer);
    }

    int removed() {
        return removed;
    }

    int keptZero() {
        return keptZero;
    }

    int keptZero(String layer) {
        return keptZeroPerLayer.getOrDefault(layer, 0);
    }

    /** The constant a pruned channel emits, computed with the evaluator's float32 operations. */
    float prunedConstant(QuantLayer layer, int channel) {
        float b = layer.bias() == null ? 0f : artifact.tensor(layer.bias()).data()[channel];
        float a = layer.activation() == ArtifactNode.Activation.RELU ? Math.max(b, 0f) : b;
        return layer.outputQuant() == null ? a : QuantMath.apply(layer.outputQuant(), a);
    }

    private void decide(QuantLayer layer) {
        boolean[] out = new boolean[layer.outChannels()];
        for (int c = 0; c < out.length; c++) {
            if (layer.keep()[c]) {
                continue;
            }
            float k = prunedConstant(layer, c);
            List<Target> targets = new ArrayList<>();
            if (collect(layer.name(), 1, k != 0f, targets)) {
                out[c] = true;
                removed++;
                if (k != 0f) {
                    for (Target t : targets) {
                        fold(t, c, k);
                    }
                }
            } else {
                keptZero++;
                keptZeroPerLayer.merge(layer.name(), 1, Integer::sum);
            }
        }
        removedOut.put(layer.name(), out);
    }

    /**
     * Collects the layers that consume {@code node} (through max-pool, global average pool and
     * flatten); false when some path makes removal inexact.
     */
    private boolean collect(String node, int block, boolean nonZero, List<Target> targets) {
        if (node.equals(artifact.outputNode())) {
            return false;
        }
        for (ArtifactNode consumer : consumers.getOrDefault(node, List.of())) {
            boolean ok;
            if (consumer instanceof ArtifactNode.MaxPool || consumer instanceof ArtifactNode.GlobalAvgPool) {
                ok = collect(consumer.name(), block, nonZero, targets);
            } else if (consumer instanceof ArtifactNode.Flatten) {
                int[] s = shapes.of(node);
                int perChannel = s.length == 3 ? s[1] * s[2] : 1;
                ok = collect(consumer.name(), perChannel, nonZero, targets);
            } else if (consumer instanceof QuantLayer next) {
                boolean padded = next.kind() == QuantLayer.Kind.CONV
                        && (next.padding()[0] != 0 || next.padding()[1] != 0);
                ok = !(padded && nonZero);
                if (ok) {
                    targets.add(new Target(next, block));
                }
            } else {
                ok = false; // residual addition (or anything else): the other operand keeps the channel
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Adds the removed channel's constant contribution to the consumer's bias. */
    private void fold(Target t, int channel, float k) {
        QuantLayer next = t.layer();
        QuantizedWeights w = weights(next);
        int perOut = w.perOutput();
        int from;
        int count;
        if (next.kind() == QuantLayer.Kind.CONV) {
            int taps = next.kernel()[0] * next.kernel()[1];
            from = channel * taps;
            count = taps;
        } else {
            from = channel * t.block();
            count = t.block();
        }
        double[] delta = biasDelta.computeIfAbsent(next.name(), n -> new double[next.outChannels()]);
        for (int o = 0; o < next.outChannels(); o++) {
            double sum = 0;
            for (int i = 0; i < count; i++) {
                sum += w.values()[o * perOut + from + i];
            }
            delta[o] += k * sum;
        }
    }

    private void computeKept() {
        kept.put(FixedGateArtifact.INPUT, range(artifact.inputShape()[0]));
        for (ArtifactNode node : artifact.nodes()) {
            int[] k;
            if (node instanceof QuantLayer layer) {
                boolean[] gone = removedOut.get(layer.name());
                k = gone == null ? range(layer.outChannels()) : indicesOf(gone, false);
            } else if (node instanceof ArtifactNode.Flatten f) {
                int[] s = shapes.of(f.input());
                int perChannel = s.length == 3 ? s[1] * s[2] : 1;
                int[] channels = kept.get(f.input());
                k = new int[channels.length * perChannel];
                for (int i = 0; i < channels.length; i++) {
                    for (int p = 0; p < perChannel; p++) {
                        k[i * perChannel + p] = channels[i] * perChannel + p;
                    }
                }
            } else if (node instanceof ArtifactNode.Add add) {
                int full = shapes.of(add.a())[0];
                if (kept.get(add.a()).length != full || kept.get(add.b()).length != full) {
                    throw new IllegalStateException("node '" + add.name() + "': a residual operand lost channels");
                }
                k = range(full);
            } else {
                k = kept.get(node.inputs().get(0));
            }
            kept.put(node.name(), k);
        }
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static int[] indicesOf(boolean[] flags, boolean value) {
        int n = 0;
        for (boolean f : flags) {
            n += f == value ? 1 : 0;
        }
        int[] r = new int[n];
        int j = 0;
        for (int i = 0; i < flags.length; i++) {
            if (flags[i] == value) {
                r[j++] = i;
            }
        }
        return r;
    }
}
