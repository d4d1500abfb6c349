package bitsweep.export;

import bitsweep.artifact.ArtifactNode.Activation;
import bitsweep.artifact.ArtifactNode.QuantLayer;
import bitsweep.artifact.ArtifactNode;
import bitsweep.artifact.FixedGateArtifact;
import bitsweep.artifact.QuantSpec;
import bitsweep.artifact.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Builds realistic random fixed-gate artifacts with the topologies of spec §6.3–6.5: He-initialised
 * weights, statically folded BN biases (about half negative, so pruned channels emit both zero and
 * non-zero constants), random pruning masks, bit widths cycling through 2/4/8/16/32 for weights and
 * activations, and activation ranges calibrated on a random batch (80–100 % of the observed
 * maximum, so some values saturate as after training).
 */
public final class ArtifactFixtures {
    static final int[] BITS = {2, 4, 8, 16, 32};

    private final Random rng;
    private final List<ArtifactNode> nodes = new ArrayList<>();
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    /** Wanted activation quantizers: node → {bits, signed}. */
    private final Map<String, int[]> actQuant = new LinkedHashMap<>();
    private final double pruneFraction;
    private int layerIndex;
    private int actIndex;

    private ArtifactFixtures(long seed, double pruneFraction) {
        this.rng = new Random(seed);
        this.pruneFraction = pruneFraction;
        this.layerIndex = (int) (seed % 5);
        this.actIndex = (int) ((seed + 2) % 5);
    }

    public static FixedGateArtifact lenet5(long seed) {
        ArtifactFixtures f = new ArtifactFixtures(seed, 0.3);
        f.conv("conv1", FixedGateArtifact.INPUT, 1, 32, 5, 1, 0, true, Activation.RELU, false);
        f.pool("pool1", "conv1", 2, 2, 0);
        f.conv("conv2", "pool1", 32, 64, 5, 1, 0, true, Activation.RELU, false);
        f.pool("pool2", "conv2", 2, 2, 0);
        f.nodes.add(new ArtifactNode.Flatten("flatten", "pool2"));
        f.linear("fc1", "flatten", 1024, 512, true, Activation.RELU, false);
        f.linear("fc2", "fc1", 512, 10, false, Activation.NONE, true);
        return f.build("lenet5", "mnist", new int[] {1, 28, 28}, 10, seed);
    }

    static FixedGateArtifact vgg7(long seed) {
        ArtifactFixtures f = new ArtifactFixtures(seed, 0.3);
        f.nodes.add(new ArtifactNode.Normalize("normalize", FixedGateArtifact.INPUT,
                new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2023f, 0.1994f, 0.2010f}));
        f.conv("conv1", "normalize", 3, 128, 3, 1, 1, true, Activation.RELU, false);
        f.conv("conv2", "conv1", 128, 128, 3, 1, 1, true, Activation.RELU, false);
        f.pool("pool2", "conv2", 2, 2, 0);
        f.conv("conv3", "pool2", 128, 256, 3, 1, 1, true, Activation.RELU, false);
        f.conv("conv4", "conv3", 256, 256, 3, 1, 1, true, Activation.RELU, false);
        f.pool("pool4", "conv4", 2, 2, 0);
        f.conv("conv5", "pool4", 256, 512, 3, 1, 1, true, Activation.RELU, false);
        f.conv("conv6", "conv5", 512, 512, 3, 1, 1, true, Activation.RELU, false);
        f.pool("pool6", "conv6", 2, 2, 0);
        f.nodes.add(new ArtifactNode.Flatten("flatten", "pool6"));
        f.linear("fc1", "flatten", 8192, 1024, true, Activation.RELU, false);
        f.linear("fc2", "fc1", 1024, 10, false, Activation.NONE, true);
        return f.build("vgg7", "cifar10", new int[] {3, 32, 32}, 10, seed);
    }

    /** ResNet-18 ("updated" variant, spec §6.5) on a reduced {@code 3×size×size} input. */
    static FixedGateArtifact resnet18(long seed, int size) {
        ArtifactFixtures f = new ArtifactFixtures(seed, 0.25);
        f.nodes.add(new ArtifactNode.Normalize("normalize", FixedGateArtifact.INPUT,
                new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f}));
        f.conv("features.0", "normalize", 3, 64, 7, 2, 3, true, Activation.RELU, false);
        f.pool("maxpool", "features.0", 3, 2, 1);
        String x = "maxpool";
        int in = 64;
        for (int stage = 1; stage <= 4; stage++) {
            int ch = 64 << (stage - 1);
            for (int block = 0; block < 2; block++) {
                String p = "layer" + stage + "." + block;
                int stride = stage > 1 && block == 0 ? 2 : 1;
                f.conv(p + ".features.0", x, in, ch, 3, stride, 1, true, Activation.RELU, false);
                f.conv(p + ".features.1", p + ".features.0", ch, ch, 3, 1, 1, true, Activation.NONE, false);
                String shortcut = x;
                if (stride != 1 || in != ch) {
                    f.conv(p + ".downsample.0", x, in, ch, 1, stride, 0, true, Activation.NONE, false);
                    shortcut = p + ".downsample.0";
                }
                f.nodes.add(new ArtifactNode.Add(p, p + ".features.1", shortcut, Activation.RELU, null));
                f.actQuant.put(p, new int[] {f.nextActBits(), 0});
                x = p;
                in = ch;
            }
        }
        f.nodes.add(new ArtifactNode.GlobalAvgPool("avgpool", x));
        f.nodes.add(new ArtifactNode.Flatten("flatten", "avgpool"));
        f.linear("fc", "flatten", 512, 1000, false, Activation.NONE, true);
        return f.build("resnet18", "imagenet", new int[] {3, size, size}, 1000, seed);
    }

    private int nextActBits() {
        return BITS[actIndex++ % BITS.length];
    }

    private void pool(String name, String input, int k, int s, int p) {
        nodes.add(new ArtifactNode.MaxPool(name, input, new int[] {k, k}, new int[] {s, s}, new int[] {p, p}));
    }

    private void conv(String name, String input, int in, int out, int k, int stride, int pad, boolean prune,
                      Activation act, boolean logits) {
        layer(name, input, QuantLayer.Kind.CONV, in, out, new int[] {k, k}, new int[] {stride, stride},
                new int[] {pad, pad}, new long[] {out, in, k, k}, in * k * k, prune, act, logits);
    }

    private void linear(String name, String input, int in, int out, boolean prune, Activation act, boolean logits) {
        layer(name, input, QuantLayer.Kind.LINEAR, in, out, null, null, null, new long[] {out, in}, in, prune, act,
                logits);
    }

    private void layer(String name, String input, QuantLayer.Kind kind, int in, int out, int[] kernel, int[] stride,
                       int[] pad, long[] shape, int fanIn, boolean prune, Activation act, boolean logits) {
        float[] w = new float[(int) (shape[0] * (shape.length == 4 ? shape[1] * shape[2] * shape[3] : shape[1]))];
        double std = Math.sqrt(2.0 / fanIn);
        float max = 0;
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rng.nextGaussian() * std);
            max = Math.max(max, w[i]);
        }
        float[] b = new float[out];
        for (int i = 0; i < out; i++) {
            b[i] = (float) (rng.nextGaussian() * (logits ? 0.01 : 0.3));
        }
        tensors.put(name + ".weight", new Tensor(shape, w));
        tensors.put(name + ".bias", new Tensor(new long[] {out}, b));
        int wBits = BITS[layerIndex++ % BITS.length];
        QuantSpec wq = new QuantSpec(wBits, max, true); // signed range [−max W, max W], spec §4
        boolean[] keep = null;
        if (prune) {
            keep = new boolean[out];
            int kept = 0;
            for (int c = 0; c < out; c++) {
                keep[c] = rng.nextDouble() >= pruneFraction;
                kept += keep[c] ? 1 : 0;
            }
            if (kept == 0) {
                keep[0] = true;
            }
        }
        nodes.add(new QuantLayer(name, input, kind, in, out, kernel, stride, pad, name + ".weight", name + ".bias",
                wq, keep, act, null));
        if (!logits) {
            actQuant.put(name, new int[] {nextActBits(), act == Activation.RELU ? 0 : 1});
        }
    }

    /** Calibrates the activation ranges on a random batch, then returns the finished artifact. */
    private FixedGateArtifact build(String arch, String experiment, int[] inputShape, int classes, long seed) {
        FixedGateArtifact raw = new FixedGateArtifact(FixedGateArtifact.FORMAT_VERSION, arch + "-trial-" + seed, arch,
                experiment, inputShape, classes, List.copyOf(nodes), 1.234, 0.5, null, List.of(), tensors);
        int n = 4;
        float[] pixels = randomImages(new Random(seed + 17), n, inputShape);
        Map<String, Float> maxima;
        try (ArtifactEvaluator eval = new ArtifactEvaluator(raw)) {
            maxima = eval.nodeMaxima(pixels, n);
        }
        Map<String, QuantSpec> specs = new HashMap<>();
        actQuant.forEach((node, spec) -> {
            float range = Math.max(maxima.get(node), 1e-3f) * (float) (0.8 + 0.2 * rng.nextDouble());
            specs.put(node, new QuantSpec(spec[0], range, spec[1] == 1));
        });
        List<ArtifactNode> finished = new ArrayList<>();
        for (ArtifactNode node : nodes) {
            if (node instanceof QuantLayer l && specs.containsKey(l.name())) {
                finished.add(new QuantLayer(l.name(), l.input(), l.kind(), l.inChannels(), l.outChannels(), l.kernel(),
                        l.stride(), l.padding(), l.weight(), l.bias(), l.weightQuant(), l.keep(), l.activation(),
                        specs.get(l.name())));
            } else if (node instanceof ArtifactNode.Add a && specs.containsKey(a.name())) {
                finished.add(new ArtifactNode.Add(a.name(), a.a(), a.b(), a.activation(), specs.get(a.name())));
            } else {
                finished.add(node);
            }
        }
        return new FixedGateArtifact(FixedGateArtifact.FORMAT_VERSION, raw.trialId(), arch, experiment, inputShape,
                classes, finished, 1.234, 0.5, 97.5, List.of(), tensors);
    }

    /**
     * {@code n} random images of shape {@code [C, H, W]} that differ in more than noise: each has its
     * own brightness curve, per-channel gain and a smooth diagonal gradient, so that random networks
     * give different logits (and classes) for different examples.
     */
    static float[] randomImages(Random rng, int n, int[] shape) {
        int c = shape[0];
        int h = shape[1];
        int w = shape[2];
        float[] p = new float[n * c * h * w];
        int i = 0;
        for (int e = 0; e < n; e++) {
            double gamma = Math.exp(rng.nextGaussian());
            double fx = rng.nextGaussian() * 3;
            double fy = rng.nextGaussian() * 3;
            for (int ch = 0; ch < c; ch++) {
                double gain = 0.3 + 0.7 * rng.nextDouble();
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        double wave = 0.5 + 0.5 * Math.sin(fx * x / w + fy * y / h + ch);
                        double v = gain * (0.5 * Math.pow(rng.nextDouble(), gamma) + 0.5 * wave);
                        p[i++] = (float) Math.min(1, Math.max(0, v));
                    }
                }
            }
        }
        return p;
    }

    static float[] randomPixels(Random rng, int count) {
        float[] p = new float[count];
        for (int i = 0; i < count; i++) {
            p[i] = rng.nextFloat();
        }
        return p;
    }

    /** Replaces one layer's node (for targeted tests). */
    static FixedGateArtifact withNode(FixedGateArtifact a, ArtifactNode replacement) {
        List<ArtifactNode> nodes = new ArrayList<>();
        for (ArtifactNode n : a.nodes()) {
            nodes.add(n.name().equals(replacement.name()) ? replacement : n);
        }
        return new FixedGateArtifact(a.formatVersion(), a.trialId(), a.architecture(), a.experiment(), a.inputShape(),
                a.numClasses(), nodes, a.relativeBops(), a.gbops(), a.top1(), a.bitTable(), a.tensors());
    }
}
