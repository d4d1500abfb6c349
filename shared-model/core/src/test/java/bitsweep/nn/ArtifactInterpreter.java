package bitsweep.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import bitsweep.artifact.ArtifactNode;
import bitsweep.artifact.FixedGateArtifact;
import bitsweep.artifact.QuantSpec;
import bitsweep.artifact.Tensor;
import java.util.HashMap;
import java.util.Map;

/**
 * An independent reading of the artifact semantics documented on {@link QuantSpec} and
 * {@link ArtifactNode} (quantization in plain Java floats, layers with DJL ops), used to check that
 * the artifact computes exactly what the fixed-gate model computes.
 */
final class ArtifactInterpreter {

    private ArtifactInterpreter() {
    }

    static NDArray run(FixedGateArtifact a, NDArray input) {
        NDManager m = input.getManager();
        Map<String, NDArray> values = new HashMap<>();
        values.put(FixedGateArtifact.INPUT, input);
        for (ArtifactNode node : a.nodes()) {
            NDArray out;
            if (node instanceof ArtifactNode.Normalize n) {
                Shape cs = new Shape(1, n.mean().length, 1, 1);
                out = values.get(n.input()).sub(m.create(n.mean(), cs)).div(m.create(n.std(), cs));
            } else if (node instanceof ArtifactNode.QuantLayer q) {
                out = layer(a, q, values.get(q.input()), m);
            } else if (node instanceof ArtifactNode.MaxPool p) {
                out = values.get(p.input()).getNDArrayInternal().maxPool(new Shape(p.kernel()[0], p.kernel()[1]),
                        new Shape(p.stride()[0], p.stride()[1]), new Shape(p.padding()[0], p.padding()[1]), false);
            } else if (node instanceof ArtifactNode.GlobalAvgPool g) {
                NDArray x = values.get(g.input());
                out = x.mean(new int[] {3}).mean(new int[] {2}).reshape(x.getShape().get(0), x.getShape().get(1), 1, 1);
            } else if (node instanceof ArtifactNode.Flatten f) {
                NDArray x = values.get(f.input());
                out = x.reshape(x.getShape().get(0), -1);
            } else if (node instanceof ArtifactNode.Add add) {
                out = values.get(add.a()).add(values.get(add.b()));
                if (add.activation() == ArtifactNode.Activation.RELU) {
                    out = Activation.relu(out);
                }
                out = quantize(out, add.outputQuant(), m);
            } else {
                throw new IllegalStateException("unknown node " + node);
            }
            values.put(node.name(), out);
        }
        return values.get(a.outputNode());
    }

    private static NDArray layer(FixedGateArtifact a, ArtifactNode.QuantLayer q, NDArray x, NDManager m) {
        Tensor wt = a.tensor(q.weight());
        float[] w = quantize(wt.data(), q.weightQuant());
        if (q.keep() != null) {
            int per = w.length / q.outChannels();
            for (int c = 0; c < q.outChannels(); c++) {
                if (!q.keep()[c]) {
                    java.util.Arrays.fill(w, c * per, (c + 1) * per, 0f);
                }
            }
        }
        NDArray weight = m.create(w, new Shape(wt.shape()));
        NDArray bias = q.bias() == null ? null : m.create(a.tensor(q.bias()).data());
        NDArray y;
        if (q.kind() == ArtifactNode.QuantLayer.Kind.CONV) {
            y = x.getNDArrayInternal().convolution(x, weight, bias, new Shape(q.stride()[0], q.stride()[1]),
                    new Shape(q.padding()[0], q.padding()[1]), new Shape(1, 1), 1).head();
        } else {
            y = x.getNDArrayInternal().linear(x, weight, bias).head();
        }
        if (q.activation() == ArtifactNode.Activation.RELU) {
            y = Activation.relu(y);
        }
        return quantize(y, q.outputQuant(), m);
    }

    private static NDArray quantize(NDArray x, QuantSpec spec, NDManager m) {
        if (spec == null) {
            return x;
        }
        return m.create(quantize(x.toFloatArray(), spec), x.getShape());
    }

    static float[] quantize(float[] x, QuantSpec spec) {
        if (spec == null) {
            return x.clone();
        }
        float h = QuantSpec.SHRINK * spec.xMax();
        float l = spec.signed() ? -h : 0f;
        float s = spec.scale();
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            float c = Math.min(Math.max(x[i], l), h);
            out[i] = spec.bits() == 32 ? c : (float) Math.rint(c / s) * s;
        }
        return out;
    }
}
