package bitsweep.export;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import bitsweep.artifact.ArtifactNode.QuantLayer;
import bitsweep.artifact.ArtifactNode;
import bitsweep.artifact.FixedGateArtifact;
import bitsweep.artifact.QuantSpec;
import bitsweep.artifact.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs a {@link FixedGateArtifact} in DJL (PyTorch engine, float32) exactly as the artifact
 * documents it: {@code y = outputQuant(act(op(x, keep ⊙ weightQuant(W)) + bias))} per layer, with
 * {@link QuantSpec}'s quantizer {@code s·⌊clamp(x, l, h)/s⌉} (round half to even). This is the
 * "DJL fixed-gate" reference that exported ONNX models are validated against.
 *
 * <p>The quantized weights are built once on the evaluator's manager; every batch runs in its own
 * sub-manager that is closed before {@link #logits} returns, so memory stays flat over a test set.
 */
public final class ArtifactEvaluator implements AutoCloseable {

    private final FixedGateArtifact artifact;
    private final NDManager manager;
    private final Map<String, NDArray> weights = new HashMap<>();
    private final Map<String, NDArray> biases = new HashMap<>();
    private final Map<String, NDArray[]> normalisers = new HashMap<>();

    public ArtifactEvaluator(FixedGateArtifact artifact) {
        this(artifact, Device.cpu());
    }

    public ArtifactEvaluator(FixedGateArtifact artifact, Device device) {
        new NodeShapes(artifact); // fail early, naming the node, on a malformed graph
        this.artifact = artifact;
        this.manager = NDManager.newBaseManager(device, "PyTorch");
        try {
            for (ArtifactNode node : artifact.nodes()) {
                if (node instanceof QuantLayer l) {
                    weights.put(l.name(), quantizedWeight(l));
                    if (l.bias() != null) {
                        biases.put(l.name(), create(artifact.tensor(l.bias())));
                    }
                } else if (node instanceof ArtifactNode.Normalize n) {
                    Shape s = new Shape(1, n.mean().length, 1, 1);
                    normalisers.put(n.name(), new NDArray[] {manager.create(n.mean(), s), manager.create(n.std(), s)});
                }
            }
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public FixedGateArtifact artifact() {
        return artifact;
    }

    /** Values per example of the input, {@code C·H·W}. */
    public int pixelsPerExample() {
        int[] s = artifact.inputShape();
        return s[0] * s[1] * s[2];
    }

    /**
     * @param pixels {@code n} examples of raw [0, 1] pixels in NCHW order
     * @return the logits, {@code n × numClasses} row-major
     */
    public float[] logits(float[] pixels, int n) {
        try (NDManager batch = manager.newSubManager()) {
            Map<String, NDArray> outputs = run(batch, pixels, n);
            return outputs.get(artifact.outputNode()).toFloatArray();
        }
    }

    /**
     * The largest value each node outputs on a batch (after its activation and quantizer); used to
     * pick plausible quantizer ranges when building artifacts.
     */
    public Map<String, Float> nodeMaxima(float[] pixels, int n) {
        try (NDManager batch = manager.newSubManager()) {
            Map<String, NDArray> outputs = run(batch, pixels, n);
            Map<String, Float> maxima = new LinkedHashMap<>();
            for (ArtifactNode node : artifact.nodes()) {
                maxima.put(node.name(), outputs.get(node.name()).max().getFloat());
            }
            return maxima;
        }
    }

    /** Every node's output on a batch (row-major, all channels); for diagnostics and tests. */
    Map<String, float[]> nodeOutputs(float[] pixels, int n) {
        try (NDManager batch = manager.newSubManager()) {
            Map<String, NDArray> outputs = run(batch, pixels, n);
            Map<String, float[]> values = new LinkedHashMap<>();
            for (ArtifactNode node : artifact.nodes()) {
                values.put(node.name(), outputs.get(node.name()).toFloatArray());
            }
            return values;
        }
    }

    private Map<String, NDArray> run(NDManager batch, float[] pixels, int n) {
        int[] s = artifact.inputShape();
        if (pixels.length < (long) n * pixelsPerExample()) {
            throw new IllegalArgumentException("need " + n + " × " + pixelsPerExample() + " pixels, got " + pixels.length);
        }
        float[] exact = pixels.length == n * pixelsPerExample() ? pixels
                : java.util.Arrays.copyOf(pixels, n * pixelsPerExample());
        NDArray x = batch.create(exact, new Shape(n, s[0], s[1], s[2]));
        Map<String, NDArray> out = new HashMap<>();
        out.put(FixedGateArtifact.INPUT, x);
        for (ArtifactNode node : artifact.nodes()) {
            out.put(node.name(), forward(node, out));
        }
        return out;
    }

    private NDArray forward(ArtifactNode node, Map<String, NDArray> out) {
        if (node instanceof ArtifactNode.Normalize n) {
            NDArray[] ms = normalisers.get(n.name());
            return out.get(n.input()).sub(ms[0]).div(ms[1]);
        }
        if (node instanceof QuantLayer l) {
            NDArray x = out.get(l.input());
            NDArray bias = biases.get(l.name());
            NDArray y;
            if (l.kind() == QuantLayer.Kind.CONV) {
                y = Conv2d.conv2d(x, weights.get(l.name()), bias, new Shape(l.stride()[0], l.stride()[1]),
                        new Shape(l.padding()[0], l.padding()[1]), new Shape(1, 1), 1).singletonOrThrow();
            } else {
                y = Linear.linear(x, weights.get(l.name()), bias).singletonOrThrow();
            }
            return quantize(activate(y, l.activation()), l.outputQuant());
        }
        if (node instanceof ArtifactNode.MaxPool p) {
            return Pool.maxPool2d(out.get(p.input()), new Shape(p.kernel()[0], p.kernel()[1]),
                    new Shape(p.stride()[0], p.stride()[1]), new Shape(p.padding()[0], p.padding()[1]), false);
        }
        if (node instanceof ArtifactNode.GlobalAvgPool p) {
            NDArray x = out.get(p.input());
            return Pool.globalAvgPool2d(x).reshape(x.getShape().get(0), x.getShape().get(1), 1, 1);
        }
        if (node instanceof ArtifactNode.Flatten f) {
            NDArray x = out.get(f.input());
            return x.reshape(x.getShape().get(0), -1);
        }
        ArtifactNode.Add add = (ArtifactNode.Add) node;
        return quantize(activate(out.get(add.a()).add(out.get(add.b())), add.activation()), add.outputQuant());
    }

    private static NDArray activate(NDArray y, ArtifactNode.Activation act) {
        return act == ArtifactNode.Activation.RELU ? Activation.relu(y) : y;
    }

    /** {@code s·⌊clamp(x, l, h)/s⌉}; 32 bits: the clamp only (QuantSpec). */
    static NDArray quantize(NDArray x, QuantSpec q) {
        if (q == null) {
            return x;
        }
        NDArray clipped = x.clip(QuantMath.low(q), QuantMath.high(q));
        if (q.bits() == 32) {
            return clipped;
        }
        float s = q.scale();
        // codes held to the grid, as QuantMath.code and the ONNX graph do (a signed grid's clip bound can round up)
        return clipped.div(s).round().clip(q.minCode(), q.maxCode()).mul(s);
    }

    /** {@code keep ⊙ q(W)}; the intermediates live in a scratch manager so only the result stays. */
    private NDArray quantizedWeight(QuantLayer l) {
        Tensor w = artifact.tensor(l.weight());
        try (NDManager scratch = manager.newSubManager()) {
            NDArray q = quantize(scratch.create(w.data(), new Shape(w.shape())), l.weightQuant());
            if (l.keep() != null) {
                float[] mask = new float[l.outChannels()];
                for (int c = 0; c < mask.length; c++) {
                    mask[c] = l.keep()[c] ? 1f : 0f;
                }
                long[] maskShape = new long[w.shape().length];
                java.util.Arrays.fill(maskShape, 1);
                maskShape[0] = l.outChannels();
                q = q.mul(scratch.create(mask, new Shape(maskShape)));
            }
            q.attach(manager);
            return q;
        }
    }

    private NDArray create(Tensor t) {
        return manager.create(t.data(), new Shape(t.shape()));
    }

    /** The quantized (masked) weight of a layer, as DJL computed it; for tests. */
    float[] weightValues(String layer) {
        return weights.get(layer).toFloatArray();
    }

    /** Arrays alive on the evaluator's manager (tests check this stays flat over batches). */
    int liveArrays() {
        return manager instanceof ai.djl.ndarray.BaseNDManager base ? base.getManagedArrays().size() : -1;
    }

    @Override
    public void close() {
        manager.close();
    }
}
