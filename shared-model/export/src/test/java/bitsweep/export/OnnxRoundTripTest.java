package bitsweep.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import bitsweep.artifact.ArtifactNode.QuantLayer;
import bitsweep.artifact.ArtifactNode;
import bitsweep.artifact.FixedGateArtifact;
import bitsweep.artifact.QuantSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Round trip of the three spec topologies with random weights, random gate decisions (every bit
 * width for weights and activations, pruned channels before padded convs, before flatten→linear and
 * inside residual blocks): ONNX Runtime logits equal the DJL fixed-gate logits, the model is smaller
 * than its float32 export and has fewer channels where channels were removed.
 */
class OnnxRoundTripTest {

    @Test
    void lenet5OnnxRuntimeLogitsEqualDjlAtOpset21And13() throws Exception {
        for (long seed = 1; seed <= 3; seed++) {
            FixedGateArtifact a = ArtifactFixtures.lenet5(seed);
            Result r21 = roundTrip(a, 21, 32);
            Result r13 = roundTrip(a, 13, 32);
            // Every pruned LeNet channel feeds an unpadded conv or a linear layer: all are removed.
            assertEquals(0, r21.built().keptZero(), "LeNet-5 never needs zero channels");
            assertTrue(r21.built().removed() > 0);
            assertEquals(r21.built().removed(), r13.built().removed());
            assertFewerChannelsWherePruned(a, r21.built().model());
            assertSmallerThanFloat(a, r21);
        }
    }

    @Test
    void vgg7OnnxRuntimeLogitsEqualDjlAtOpset21And13() throws Exception {
        FixedGateArtifact a = ArtifactFixtures.vgg7(1);
        Result r21 = roundTrip(a, 21, 12);
        roundTrip(a, 13, 12);
        // Pruned channels with a non-zero constant before a padded conv stay as zero channels; conv6's
        // all go (flatten → linear) and so do zero-constant ones.
        assertTrue(r21.built().keptZero() > 0, "some channels feed padded convs with a non-zero constant");
        assertTrue(r21.built().removed() > r21.built().keptZero());
        assertFewerChannelsWherePruned(a, r21.built().model());
        assertSmallerThanFloat(a, r21);
    }

    @Test
    void resnet18OnnxRuntimeLogitsEqualDjlAtOpset21And13() throws Exception {
        FixedGateArtifact a = ArtifactFixtures.resnet18(1, 64);
        Result r21 = roundTrip(a, 21, 12);
        roundTrip(a, 13, 12);
        Map<String, Long> exported = exportedChannels(r21.built().model());
        for (ArtifactNode node : a.nodes()) {
            if (node instanceof QuantLayer l && (l.name().endsWith("features.1") || l.name().contains("downsample"))) {
                assertEquals(l.outChannels(), exported.get(l.name()),
                        l.name() + " feeds a residual addition: its pruned channels must be kept");
            }
        }
        assertTrue(r21.built().removed() > 0, "zero-constant channels of features.0 layers are removed");
        assertTrue(r21.built().keptZero() > 0);
        assertSmallerThanFloat(a, r21);
    }

    /** Negative control: the comparison notices when one activation quantizer is exported wrongly. */
    @Test
    void comparisonDetectsAModelWithOneWrongActivationQuantizer() throws Exception {
        FixedGateArtifact a = ArtifactFixtures.lenet5(2);
        QuantLayer conv2 = (QuantLayer) a.nodes().get(2);
        QuantSpec q = conv2.outputQuant();
        FixedGateArtifact wrong = ArtifactFixtures.withNode(a, new QuantLayer(conv2.name(), conv2.input(), conv2.kind(),
                conv2.inChannels(), conv2.outChannels(), conv2.kernel(), conv2.stride(), conv2.padding(), conv2.weight(),
                conv2.bias(), conv2.weightQuant(), conv2.keep(), conv2.activation(),
                new QuantSpec(q.bits() == 2 ? 4 : 2, q.xMax(), q.signed())));
        int n = 16;
        float[] pixels = ArtifactFixtures.randomImages(new Random(99), n, a.inputShape());
        float[][] ort = OrtRunner.run(OnnxExporter.build(wrong, 21, true).model().toByteArray(), pixels,
                new long[] {n, 1, 28, 28});
        float[] djl;
        try (ArtifactEvaluator eval = new ArtifactEvaluator(a)) {
            djl = eval.logits(pixels, n);
        }
        LogitComparison c = LogitComparison.of(ort, djl, a.numClasses());
        assertTrue(c.median() > 1e-3, "median relative error " + c.median());
        assertThrows(AssertionError.class, () -> c.assertMatches("wrong quantizer"));
    }

    record Result(OnnxExporter.Built built, LogitComparison comparison) {
    }

    static Result roundTrip(FixedGateArtifact a, int opset, int n) throws Exception {
        OnnxExporter.Built built = OnnxExporter.build(a, opset, true);
        int[] s = a.inputShape();
        float[] pixels = ArtifactFixtures.randomImages(new Random(99), n, s);
        float[][] ort = OrtRunner.run(built.model().toByteArray(), pixels, new long[] {n, s[0], s[1], s[2]});
        float[] djl;
        try (ArtifactEvaluator eval = new ArtifactEvaluator(a)) {
            djl = eval.logits(pixels, n);
        }
        LogitComparison c = LogitComparison.of(ort, djl, a.numClasses());
        c.assertMatches(a.trialId() + " opset " + opset);
        return new Result(built, c);
    }

    /** Output channels of each layer's exported weight initializer (through its DequantizeLinear). */
    static Map<String, Long> exportedChannels(OnnxMl.ModelProto model) {
        Map<String, Long> channels = new HashMap<>();
        for (OnnxMl.TensorProto t : model.getGraph().getInitializerList()) {
            String name = t.getName();
            if (name.endsWith(".weight") || name.endsWith(".weight.codes")) {
                channels.put(name.substring(0, name.indexOf(".weight")), t.getDims(0));
            }
        }
        return channels;
    }

    private static void assertFewerChannelsWherePruned(FixedGateArtifact a, OnnxMl.ModelProto model) {
        Map<String, Long> exported = exportedChannels(model);
        ChannelPlan plan = ChannelPlan.pruned(a, new NodeShapes(a));
        for (ArtifactNode node : a.nodes()) {
            if (node instanceof QuantLayer l) {
                long expected = l.outChannels() - (l.outChannels() - l.keptChannels() - plan.keptZero(l.name()));
                assertEquals(expected, exported.get(l.name()), l.name() + " exported channels");
                if (l.keptChannels() < l.outChannels() && plan.keptZero(l.name()) < l.outChannels() - l.keptChannels()) {
                    assertTrue(exported.get(l.name()) < l.outChannels(), l.name() + " lost no channel");
                }
            }
        }
    }

    private static void assertSmallerThanFloat(FixedGateArtifact a, Result r) {
        long quantized = r.built().model().getSerializedSize();
        long fp32 = OnnxExporter.build(a, 21, false).model().getSerializedSize();
        LogitComparison c = r.comparison();
        org.slf4j.LoggerFactory.getLogger(OnnxRoundTripTest.class).info(
                "{}: {} bytes vs {} float32 ({}%), removed {} channels, kept {} zero channels, max rel err {}",
                a.trialId(), quantized, fp32, String.format("%.1f", 100.0 * quantized / fp32), r.built().removed(),
                r.built().keptZero(), String.format("%.2e", c.max()));
        assertTrue(quantized < fp32, quantized + " bytes is not smaller than the float32 export (" + fp32 + ")");
    }
}
