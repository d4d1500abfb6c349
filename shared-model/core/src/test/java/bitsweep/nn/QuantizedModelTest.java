package bitsweep.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import bitsweep.artifact.ArtifactIO;
import bitsweep.artifact.FixedGateArtifact;
import bitsweep.autograd.ParameterGroup;
import bitsweep.bops.BopsLayer;
import bitsweep.bops.BopsReport;
import bitsweep.data.DatasetInfo;
import bitsweep.nn.BitsModels.Variant;
import bitsweep.quant.BayesianBitsQuantizer;
import bitsweep.quant.GatingMethod;
import bitsweep.quant.LearnedScale;
import bitsweep.quant.Quantizer;
import bitsweep.quant.RegType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Models, layers and the fixed-gate swap: spec §14 items 20, 21, 23, gradient checks, artifacts. */
class QuantizedModelTest {

    private static final double[] MNIST_INIT = {6, 6, -6, -6};
    /** A small ImageNet-like input so ResNet-18 runs in a test. */
    private static final DatasetInfo TINY_IMAGENET = new DatasetInfo("imagenet", 3, 32, 32, 1000,
            DatasetInfo.IMAGENET.mean(), DatasetInfo.IMAGENET.std());
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(3);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static Variant fixedGates(double[] init) {
        return new Variant(init, GatingMethod.FIXED, LearnedScale.RANGE, true, false, 0, 0, RegType.BOP);
    }

    private static Map<String, QuantLayer> layers(QuantizedModel m) {
        return m.bopsLayout().layers().stream().collect(Collectors.toMap(BopsLayer::name, l -> (QuantLayer) l));
    }

    private static NDArray images(NDManager scope, DatasetInfo info, int n) {
        return scope.randomUniform(0f, 1f, new Shape(n, info.channels(), info.height(), info.width()));
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        float d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    /** A 3→4 channel 3×3 BN-folded conv with ReLU, no quantizers, BN scale (0.5, 1.5, −1, 2), shift (0.1, −0.2, 0.3, 0). */
    private static QuantLayer foldedConvWithoutQuantizers() {
        LayerSpec spec = LayerSpec.conv("c", 3, 4, 3, 1, 1, 6, 6, false, true,
                bitsweep.artifact.ArtifactNode.Activation.RELU, null);
        QuantLayer layer = new QuantLayer(spec, null, null);
        layer.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 6, 6));
        Parameter[] bn = layer.batchNormParameters();
        bn[0].getArray().set(new float[] {0.5f, 1.5f, -1f, 2f});
        bn[1].getArray().set(new float[] {0.1f, -0.2f, 0.3f, 0f});
        return layer;
    }

    @Test
    void batchNormFoldedLayerWithoutQuantizationEqualsConvThenBatchNorm() {
        QuantLayer layer = foldedConvWithoutQuantizers();
        Parameter[] bn = layer.batchNormParameters();
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.randomNormal(new Shape(5, 3, 6, 6));
            NDArray w = layer.weightParameter().getArray();
            NDArray g = scope.create(new float[] {0.5f, 1.5f, -1f, 2f}).reshape(1, 4, 1, 1);
            NDArray t = scope.create(new float[] {0.1f, -0.2f, 0.3f, 0f}).reshape(1, 4, 1, 1);
            NDArray conv = x.getNDArrayInternal().convolution(x, w, null, new Shape(1, 1), new Shape(1, 1),
                    new Shape(1, 1), 1).head();
            NDArray mean = QuantLayer.meanOver(conv, new int[] {0, 2, 3}).reshape(1, 4, 1, 1);
            NDArray var = QuantLayer.meanOver(conv.sub(mean).square(), new int[] {0, 2, 3}).reshape(1, 4, 1, 1);
            NDArray expectedTrain = ai.djl.nn.Activation.relu(conv.sub(mean).div(var.add(1e-5f).sqrt()).mul(g).add(t));
            float[] train = layer.forward(x, true).toFloatArray();
            assertTrue(maxAbsDiff(expectedTrain.toFloatArray(), train) < 1e-5f);
            long n = 5 * 6 * 6;
            float[] expMean = mean.mul(0.1f).toFloatArray();
            float[] expVar = var.mul((float) n / (n - 1)).mul(0.1f).add(0.9f).toFloatArray();
            assertArrayEquals(expMean, bn[2].getArray().toFloatArray(), 1e-6f);
            assertArrayEquals(expVar, bn[3].getArray().toFloatArray(), 1e-6f);
            NDArray rm = bn[2].getArray().reshape(1, 4, 1, 1);
            NDArray rv = bn[3].getArray().reshape(1, 4, 1, 1);
            NDArray expectedEval = ai.djl.nn.Activation.relu(conv.sub(rm).div(rv.add(1e-5f).sqrt()).mul(g).add(t));
            assertTrue(maxAbsDiff(expectedEval.toFloatArray(), layer.forward(x, false).toFloatArray()) < 1e-5f);
        }
    }

    /**
     * Spec §6.2 computed literally on copies of the parameters: the layer has the same output and the same
     * gradients to x, W, g and t, the gradients through μ_B and σ_B (not detached) included.
     */
    @Test
    void batchNormFoldedTrainingGradientsFlowThroughTheBatchStatisticsAsTheSpecSays() {
        QuantLayer layer = foldedConvWithoutQuantizers();
        Parameter[] bn = layer.batchNormParameters();
        bn[3].getArray().set(new float[] {0.8f, 1.2f, 2f, 0.5f}); // σ_run ≠ 1, so the folding matters
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.randomNormal(new Shape(5, 3, 6, 6));
            NDArray upstream = scope.randomNormal(new Shape(5, 4, 6, 6));
            // the reference, on copies
            NDArray xr = x.duplicate();
            NDArray w = layer.weightParameter().getArray().duplicate();
            NDArray g = bn[0].getArray().duplicate();
            NDArray t = bn[1].getArray().duplicate();
            NDArray sigmaRun = bn[3].getArray().add(1e-5f).sqrt().reshape(4, 1, 1, 1);
            for (NDArray a : new NDArray[] {xr, w, g, t}) {
                a.setRequiresGradient(true);
            }
            float[] expected;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray yq = xr.getNDArrayInternal().convolution(xr, w.mul(g.reshape(4, 1, 1, 1).div(sigmaRun)), null,
                        new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1).head();
                NDArray raw = xr.getNDArrayInternal().convolution(xr, w, null, new Shape(1, 1), new Shape(1, 1),
                        new Shape(1, 1), 1).head();
                NDArray mu = QuantLayer.meanOver(raw, new int[] {0, 2, 3}).reshape(1, 4, 1, 1);
                NDArray sigmaB = QuantLayer.meanOver(raw.sub(mu).square(), new int[] {0, 2, 3}).add(1e-5f).sqrt()
                        .reshape(1, 4, 1, 1);
                NDArray y = ai.djl.nn.Activation.relu(yq.mul(sigmaRun.reshape(1, 4, 1, 1).div(sigmaB))
                        .add(t.reshape(1, 4, 1, 1)).sub(g.reshape(1, 4, 1, 1).mul(mu).div(sigmaB)));
                expected = y.toFloatArray();
                gc.backward(y.mul(upstream).sum());
            }
            x.setRequiresGradient(true);
            float[] actual;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = layer.forward(x, true);
                actual = y.toFloatArray();
                gc.backward(y.mul(upstream).sum());
            }
            assertTrue(maxAbsDiff(expected, actual) < 1e-5f, "output");
            assertTrue(maxAbsDiff(xr.getGradient().toFloatArray(), x.getGradient().toFloatArray()) < 1e-4f, "dL/dx");
            assertTrue(maxAbsDiff(w.getGradient().toFloatArray(),
                    layer.weightParameter().getArray().getGradient().toFloatArray()) < 1e-4f, "dL/dW");
            assertTrue(maxAbsDiff(g.getGradient().toFloatArray(), bn[0].getArray().getGradient().toFloatArray()) < 1e-4f,
                    "dL/dg");
            assertTrue(maxAbsDiff(t.getGradient().toFloatArray(), bn[1].getArray().getGradient().toFloatArray()) < 1e-4f,
                    "dL/dt");
            assertTrue(w.getGradient().abs().max().getFloat() > 0.01f, "the check is not vacuous");
        }
    }

    @Test
    void rangeInitialisationTakesMaxAndSignFromTheFirstBatch() {
        QuantizedModel m = BitsModels.lenet5(fixedGates(MNIST_INIT), manager);
        Map<String, QuantLayer> l = layers(m);
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = images(scope, DatasetInfo.MNIST, 2);
            m.initializeRanges(x);
            QuantLayer conv1 = l.get("conv1");
            assertEquals(conv1.weightParameter().getArray().max().getFloat(), conv1.weightQuantizer().xMax());
            assertTrue(conv1.weightQuantizer().signed());
            // the activation quantizer saw relu(conv(x, W_q) + b) with the (deterministic, 8-bit) W_q
            NDArray wq = conv1.weightQuantizer().quantize(conv1.weightParameter().getArray(), true);
            NDArray y = ai.djl.nn.Activation.relu(x.getNDArrayInternal().convolution(x, wq,
                    conv1.biasParameter().getArray(), new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), 1).head());
            assertEquals(y.max().getFloat(), conv1.outputQuantizer().xMax(), 1e-6f);
            for (String name : new String[] {"conv1", "conv2", "fc1"}) {
                assertFalse(l.get(name).outputQuantizer().signed(), name + " activations are post-ReLU");
                assertTrue(l.get(name).weightQuantizer().signed(), name + " weights");
            }
        }
    }

    @Test
    void resnetPreAdditionActivationsAreSigned() {
        QuantizedModel m = BitsModels.resnet18(Variant.readme(new double[] {6, 6, 6, -6}), TINY_IMAGENET, manager);
        try (NDManager scope = manager.newSubManager()) {
            m.initializeRanges(images(scope, TINY_IMAGENET, 2));
        }
        Map<String, QuantLayer> l = layers(m);
        assertTrue(l.get("layer1.0.features.1").outputQuantizer().signed());
        assertTrue(l.get("layer2.0.downsample.0").outputQuantizer().signed());
        assertFalse(l.get("layer1.0.features.0").outputQuantizer().signed());
        for (QuantizerSummary s : m.quantizerSummaries()) {
            if (s.name().matches("layer\\d\\.\\d\\.output")) {
                assertFalse(s.signed(), s.name());
            }
        }
        assertEquals(21 + 28, m.quantizerSummaries().size());
    }

    @Test
    void lossHasGradientsForWeightsGatesAndRanges() {
        QuantizedModel m = BitsModels.lenet5(Variant.readme(MNIST_INIT), manager);
        try (NDManager scope = manager.newSubManager()) {
            m.initializeRanges(images(scope, DatasetInfo.MNIST, 2));
            // gates mid-way so that samples are rarely clamped and the data loss reaches every logit
            for (BayesianBitsQuantizer q : m.bayesianBitsQuantizers()) {
                q.logAlphaParameter().getArray().set(new float[] {0.5f, 0.5f, 0.5f, 0.5f});
            }
            NDArray x = images(scope, DatasetInfo.MNIST, 32);
            NDArray y = scope.randomInteger(0, 10, new Shape(32), DataType.INT32);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = m.forward(x, true);
                NDArray ce = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(y), new NDList(logits));
                gc.backward(ce.add(m.regularizer(scope).mul(0.1f)));
            }
            for (Parameter p : m.block().getParameters().values()) {
                if (p.requiresGradient()) {
                    float gmax = p.getArray().getGradient().abs().max().getFloat();
                    assertTrue(gmax > 0f, p.getName() + " has no gradient");
                }
            }
            assertEquals(ParameterGroup.GATES, m.groupOf(layers(m).get("conv1").weightQuantizer().parameters().get(0)));
        }
    }

    @Test
    void trainingStepLeavesNoArraysOnTheModelManager() {
        try (NDManager modelManager = manager.newSubManager()) {
            QuantizedModel m = BitsModels.vgg7(Variant.readme(new double[] {6, 6, 6, 6}), modelManager);
            try (NDManager scope = modelManager.newSubManager()) {
                m.initializeRanges(images(scope, DatasetInfo.CIFAR10, 2));
            }
            int before = modelManager.getManagedArrays().size();
            for (boolean training : new boolean[] {true, false}) {
                try (NDManager batch = modelManager.newSubManager()) {
                    NDArray x = images(batch, DatasetInfo.CIFAR10, 2);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = m.forward(x, training).sum().add(m.regularizer(batch));
                        if (training) {
                            gc.backward(loss);
                        }
                    }
                    m.bops();
                    m.quantizerSummaries();
                }
            }
            assertEquals(before, modelManager.getManagedArrays().size(),
                    "per-forward arrays must live on the batch manager, not the model's");
        }
    }

    @Test
    void gradientOfAPrunedChannelIsZero() {
        bitsweep.quant.QuantizerSettings settings = bitsweep.quant.QuantizerSettings.standard(
                new double[] {6, 6, -6, -6}, 3);
        BayesianBitsQuantizer q = new BayesianBitsQuantizer("w", "", settings);
        q.parameters().forEach(p -> p.initialize(manager, DataType.FLOAT32));
        q.pruneLogAlphaParameter().getArray().set(new float[] {6, -20, 20});
        try (NDManager scope = manager.newSubManager()) {
            NDArray w = scope.create(new float[] {0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f}, new Shape(3, 2));
            q.quantize(w, true); // range initialisation
            w.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(q.quantize(w, true).sum());
            }
            float[] g = w.getGradient().toFloatArray();
            assertEquals(0f, g[2]);
            assertEquals(0f, g[3]);
            assertEquals(1f, g[4]); // log α_2 = 20: z_2 = 1 in every sample; −0.5 is inside [−0.6, 0.6]
        }
    }

    @Test
    void fixedGateSwapKeepsEvalLogitsAndBops() {
        for (String arch : new String[] {"lenet5", "vgg7", "resnet18"}) {
            QuantizedModel m = switch (arch) {
                case "lenet5" -> BitsModels.lenet5(Variant.readme(MNIST_INIT), manager);
                case "vgg7" -> BitsModels.vgg7(Variant.readme(new double[] {6, 6, 6, 6}), manager);
                default -> BitsModels.resnet18(Variant.readme(new double[] {6, 6, 6, -6}), TINY_IMAGENET, manager);
            };
            try (NDManager scope = manager.newSubManager()) {
                m.initializeRanges(images(scope, m.dataset(), 2));
                mixBitsAndPrune(m);
                NDArray x = images(scope, m.dataset(), 4);
                float[] before = m.forward(x, false).toFloatArray();
                BopsReport bopsBefore = m.bops();
                m.freezeToFixedGates();
                assertTrue(m.isFrozen());
                float[] after = m.forward(x, false).toFloatArray();
                assertTrue(maxAbsDiff(before, after) < 1e-4f, arch + ": logits moved by " + maxAbsDiff(before, after));
                assertEquals(bopsBefore.relativeBops(), m.bops().relativeBops(), 1e-12, arch);
                assertEquals(0f, m.regularizer(scope).getFloat());
                FixedGateArtifact artifact = m.toArtifact("t-" + arch, 12.5);
                float[] interpreted = ArtifactInterpreter.run(artifact, x).toFloatArray();
                assertTrue(maxAbsDiff(after, interpreted) < 1e-5f,
                        arch + ": artifact differs by " + maxAbsDiff(after, interpreted));
                assertEquals(bopsBefore.relativeBops(), artifact.relativeBops(), 1e-12);
            }
        }
    }

    /** Gives the quantizers a mix of 2/4/8-bit widths and prunes a few channels. */
    private static void mixBitsAndPrune(QuantizedModel m) {
        float[][] patterns = {{-1, 6, 6, 6}, {6, -1, 6, 6}, {6, 6, -1, 6}};
        int i = 0;
        for (BayesianBitsQuantizer q : m.bayesianBitsQuantizers()) {
            q.logAlphaParameter().getArray().set(patterns[i++ % patterns.length]);
            if (q.hasPruningGates()) {
                float[] p = q.pruneLogits();
                for (int c = 0; c < p.length; c += 3) {
                    p[c] = -6f;
                }
                q.pruneLogAlphaParameter().getArray().set(p);
            }
        }
    }

    @Test
    void artifactRoundTripsThroughTheZipFormat(@TempDir Path dir) throws Exception {
        QuantizedModel m = BitsModels.lenet5(Variant.readme(MNIST_INIT), manager);
        try (NDManager scope = manager.newSubManager()) {
            m.initializeRanges(images(scope, DatasetInfo.MNIST, 2));
            mixBitsAndPrune(m);
            FixedGateArtifact a = m.toArtifact("trial-1", null);
            Path file = dir.resolve("m" + ArtifactIO.FILE_EXTENSION);
            ArtifactIO.write(a, file);
            FixedGateArtifact back = ArtifactIO.read(file);
            NDArray x = images(scope, DatasetInfo.MNIST, 3);
            assertArrayEquals(m.forward(x, false).toFloatArray(), ArtifactInterpreter.run(back, x).toFloatArray(), 1e-5f);
            assertEquals(java.util.List.of("normalize", "conv1", "conv1.pool", "conv2", "conv2.pool", "flatten", "fc1",
                    "fc2"), back.nodes().stream().map(n -> n.name()).toList());
            assertNull(((bitsweep.artifact.ArtifactNode.QuantLayer) back.nodes().get(7)).outputQuant());
        }
    }

    @Test
    void savedStateRestoresRangesSignsAndRunningStatistics() throws Exception {
        QuantizedModel original = BitsModels.vgg7(Variant.readme(new double[] {6, 6, 6, 6}), manager);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        float[] expected;
        try (NDManager scope = manager.newSubManager()) {
            original.initializeRanges(images(scope, DatasetInfo.CIFAR10, 2));
            original.block().saveParameters(new DataOutputStream(bytes));
            NDArray x = scope.randomUniform(0f, 1f, new Shape(2, 3, 32, 32), DataType.FLOAT32);
            expected = original.forward(x, false).toFloatArray();
            QuantizedModel restored = BitsModels.vgg7(Variant.readme(new double[] {6, 6, 6, 6}), manager);
            restored.block().loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            for (Quantizer q : new Quantizer[] {layers(restored).get("conv3").outputQuantizer(),
                    layers(restored).get("conv3").weightQuantizer()}) {
                assertTrue(q.initialized());
            }
            assertFalse(layers(restored).get("conv3").outputQuantizer().signed());
            assertArrayEquals(expected, restored.forward(x, false).toFloatArray(), 0f);
            QuantizedModel frozen = BitsModels.vgg7(Variant.readme(new double[] {6, 6, 6, 6}), manager);
            frozen.initializeRanges(images(scope, DatasetInfo.CIFAR10, 2));
            frozen.freezeToFixedGates();
            assertThrows(ai.djl.MalformedModelException.class, () -> frozen.block().loadParameters(manager,
                    new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
        }
    }

    @Test
    void pretrainedTorchvisionWeightsAreLoadedIntoFoldedLayers(@TempDir Path dir) throws Exception {
        QuantizedModel m = BitsModels.resnet18(Variant.readme(new double[] {6, 6, 6, -6}), TINY_IMAGENET, manager);
        Path npz = dir.resolve("resnet18.npz");
        try (NDManager scope = manager.newSubManager()) {
            NDList list = new NDList();
            Map<String, Shape> shapes = new java.util.LinkedHashMap<>();
            shapes.put("conv1.weight", new Shape(64, 3, 7, 7));
            for (String s : new String[] {"weight", "bias", "running_mean", "running_var"}) {
                shapes.put("bn1." + s, new Shape(64));
            }
            int[] widths = {64, 128, 256, 512};
            int in = 64;
            for (int st = 0; st < 4; st++) {
                for (int b = 0; b < 2; b++) {
                    int out = widths[st];
                    String p = "layer" + (st + 1) + "." + b + ".";
                    shapes.put(p + "conv1.weight", new Shape(out, in, 3, 3));
                    shapes.put(p + "conv2.weight", new Shape(out, out, 3, 3));
                    for (String s : new String[] {"weight", "bias", "running_mean", "running_var"}) {
                        shapes.put(p + "bn1." + s, new Shape(out));
                        shapes.put(p + "bn2." + s, new Shape(out));
                        if (st > 0 && b == 0) {
                            shapes.put(p + "downsample.1." + s, new Shape(out));
                        }
                    }
                    if (st > 0 && b == 0) {
                        shapes.put(p + "downsample.0.weight", new Shape(out, in, 1, 1));
                    }
                    in = out;
                }
            }
            shapes.put("fc.weight", new Shape(1000, 512));
            shapes.put("fc.bias", new Shape(1000));
            shapes.forEach((k, s) -> {
                NDArray a = scope.randomUniform(0.5f, 1f, s);
                a.setName(k);
                list.add(a);
            });
            try (var os = java.nio.file.Files.newOutputStream(npz)) {
                list.encode(os, NDList.Encoding.NPZ);
            }
            PretrainedResNet18.load(m, npz);
            Map<String, QuantLayer> l = layers(m);
            NDArray expected = list.stream().filter(a -> a.getName().equals("layer2.0.bn2.running_var")).findFirst()
                    .orElseThrow();
            assertArrayEquals(expected.toFloatArray(),
                    l.get("layer2.0.features.1").batchNormParameters()[3].getArray().toFloatArray(), 0f);
            NDArray ds = list.stream().filter(a -> a.getName().equals("layer3.0.downsample.0.weight")).findFirst()
                    .orElseThrow();
            assertArrayEquals(ds.toFloatArray(),
                    l.get("layer3.0.downsample.0").weightParameter().getArray().toFloatArray(), 0f);
        }
        assertThrows(java.nio.file.NoSuchFileException.class,
                () -> PretrainedResNet18.load(m, dir.resolve("missing.npz")));
    }
}
