package bitsweep.export;

import bitsweep.artifact.ArtifactNode;
import bitsweep.artifact.FixedGateArtifact;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-example output shape of every node of an artifact ({@code [C, H, W]} or {@code [F]}), checked
 * while it is computed so that a malformed artifact fails here with the node's name rather than
 * deep inside DJL or ONNX Runtime.
 */
final class NodeShapes {
    private final Map<String, int[]> shapes = new HashMap<>();

    NodeShapes(FixedGateArtifact artifact) {
        if (artifact.inputShape() == null || artifact.inputShape().length != 3) {
            throw bad(artifact, "inputShape", "expected [C, H, W], got " + Arrays.toString(artifact.inputShape()));
        }
        if (artifact.nodes() == null || artifact.nodes().isEmpty()) {
            throw bad(artifact, "nodes", "expected at least one node");
        }
        shapes.put(FixedGateArtifact.INPUT, artifact.inputShape().clone());
        for (ArtifactNode node : artifact.nodes()) {
            if (shapes.containsKey(node.name())) {
                throw bad(artifact, node.name(), "duplicate node name");
            }
            shapes.put(node.name(), infer(artifact, node));
            if (node instanceof ArtifactNode.QuantLayer l) {
                checkRange(artifact, l.name(), "weightQuant", l.weightQuant());
                checkRange(artifact, l.name(), "outputQuant", l.outputQuant());
            } else if (node instanceof ArtifactNode.Add add) {
                checkRange(artifact, add.name(), "outputQuant", add.outputQuant());
            }
        }
        int[] out = shapes.get(artifact.outputNode());
        if (out.length != 1 || out[0] != artifact.numClasses()) {
            throw bad(artifact, artifact.outputNode(), "output shape " + Arrays.toString(out) + ", expected ["
                    + artifact.numClasses() + "] logits");
        }
    }

    int[] of(String node) {
        return shapes.get(node);
    }

    /** A zero, negative or non-finite range would divide by zero (spec §12 item 17): reject it here. */
    private static void checkRange(FixedGateArtifact a, String node, String field, bitsweep.artifact.QuantSpec q) {
        if (q != null && !(q.xMax() > 0 && Float.isFinite(q.xMax()))) {
            throw bad(a, node, field + ".xMax must be a positive finite range, got " + q.xMax());
        }
    }

    private int[] in(FixedGateArtifact a, ArtifactNode node, String input) {
        int[] s = shapes.get(input);
        if (s == null) {
            throw bad(a, node.name(), "input '" + input + "' is not an earlier node");
        }
        return s;
    }

    private int[] infer(FixedGateArtifact a, ArtifactNode node) {
        if (node instanceof ArtifactNode.Normalize n) {
            int[] s = in(a, node, n.input());
            if (s.length != 3 || n.mean().length != s[0] || n.std().length != s[0]) {
                throw bad(a, node.name(), "mean/std need one value per channel of " + Arrays.toString(s));
            }
            return s;
        }
        if (node instanceof ArtifactNode.QuantLayer l) {
            int[] s = in(a, node, l.input());
            if (l.kind() == ArtifactNode.QuantLayer.Kind.CONV) {
                if (s.length != 3 || s[0] != l.inChannels()) {
                    throw bad(a, node.name(), "conv expects [" + l.inChannels() + ", H, W] input, got "
                            + Arrays.toString(s));
                }
                return new int[] {l.outChannels(), outSize(s[1], l.kernel()[0], l.stride()[0], l.padding()[0]),
                        outSize(s[2], l.kernel()[1], l.stride()[1], l.padding()[1])};
            }
            if (s.length != 1 || s[0] != l.inChannels()) {
                throw bad(a, node.name(), "linear expects [" + l.inChannels() + "] input, got " + Arrays.toString(s));
            }
            return new int[] {l.outChannels()};
        }
        if (node instanceof ArtifactNode.MaxPool p) {
            int[] s = in(a, node, p.input());
            if (s.length != 3) {
                throw bad(a, node.name(), "max-pool expects [C, H, W] input, got " + Arrays.toString(s));
            }
            return new int[] {s[0], outSize(s[1], p.kernel()[0], p.stride()[0], p.padding()[0]),
                    outSize(s[2], p.kernel()[1], p.stride()[1], p.padding()[1])};
        }
        if (node instanceof ArtifactNode.GlobalAvgPool g) {
            int[] s = in(a, node, g.input());
            if (s.length != 3) {
                throw bad(a, node.name(), "global average pool expects [C, H, W] input, got " + Arrays.toString(s));
            }
            return new int[] {s[0], 1, 1};
        }
        if (node instanceof ArtifactNode.Flatten f) {
            int[] s = in(a, node, f.input());
            return new int[] {Arrays.stream(s).reduce(1, (x, y) -> x * y)};
        }
        ArtifactNode.Add add = (ArtifactNode.Add) node;
        int[] x = in(a, node, add.a());
        int[] y = in(a, node, add.b());
        if (!Arrays.equals(x, y)) {
            throw bad(a, node.name(), "adds " + Arrays.toString(x) + " and " + Arrays.toString(y));
        }
        return x;
    }

    private static int outSize(int size, int kernel, int stride, int pad) {
        return (size + 2 * pad - kernel) / stride + 1;
    }

    static IllegalArgumentException bad(FixedGateArtifact a, String where, String what) {
        return new IllegalArgumentException("artifact of trial " + a.trialId() + ", node '" + where + "': " + what);
    }
}
