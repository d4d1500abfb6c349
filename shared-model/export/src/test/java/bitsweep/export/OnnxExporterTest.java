package bitsweep.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import bitsweep.artifact.ArtifactNode.Activation;
import bitsweep.artifact.ArtifactNode.QuantLayer;
import bitsweep.artifact.ArtifactNode;
import bitsweep.artifact.FixedGateArtifact;
import bitsweep.artifact.QuantSpec;
import bitsweep.artifact.Tensor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxExporterTest {

    private static Map<String, OnnxMl.TensorProto> initializers(OnnxMl.ModelProto m) {
        Map<String, OnnxMl.TensorProto> map = new HashMap<>();
        m.getGraph().getInitializerList().forEach(t -> map.put(t.getName(), t));
        return map;
    }

    @Test
    void opset21StoresInt4AndInt16WeightInitializersAtTheirBitWidth() {
        FixedGateArtifact a = ArtifactFixtures.lenet5(1); // conv1 4-bit, conv2 8-bit, fc1 16-bit, fc2 32-bit
        OnnxMl.ModelProto m = OnnxExporter.build(a, 21, true).model();
        assertEquals(10, m.getIrVersion());
        assertEquals(21, m.getOpsetImport(0).getVersion());
        Map<String, OnnxMl.TensorProto> init = initializers(m);
        OnnxMl.TensorProto conv1 = init.get("conv1.weight.codes");
        assertEquals(OnnxGraph.INT4, conv1.getDataType());
        long n = conv1.getDims(0) * conv1.getDims(1) * conv1.getDims(2) * conv1.getDims(3);
        assertEquals((n + 1) / 2, conv1.getRawData().size(), "int4 packs two codes per byte");
        assertEquals(OnnxGraph.INT8, init.get("conv2.weight.codes").getDataType());
        OnnxMl.TensorProto fc1 = init.get("fc1.weight.codes");
        assertEquals(OnnxGraph.INT16, fc1.getDataType());
        assertEquals(2 * fc1.getDims(0) * fc1.getDims(1), fc1.getRawData().size());
        assertEquals(OnnxGraph.FLOAT, init.get("fc2.weight").getDataType(), "32-bit weights stay float");
        // 2-bit weights also use int4 (seed 5 starts the bit cycle at 2 bits for conv1).
        assertEquals(OnnxGraph.INT4, initializers(OnnxExporter.build(ArtifactFixtures.lenet5(5), 21, true).model())
                .get("conv1.weight.codes").getDataType());
    }

    @Test
    void opset13UsesInt8ContainersAndInt16WithCastFor16Bits() {
        OnnxMl.ModelProto m = OnnxExporter.build(ArtifactFixtures.lenet5(1), 13, true).model();
        assertEquals(7, m.getIrVersion());
        Map<String, OnnxMl.TensorProto> init = initializers(m);
        assertEquals(OnnxGraph.INT8, init.get("conv1.weight.codes").getDataType(), "4-bit codes in int8");
        assertEquals(OnnxGraph.INT16, init.get("fc1.weight.codes").getDataType());
        Set<Integer> types = m.getGraph().getInitializerList().stream().map(OnnxMl.TensorProto::getDataType)
                .collect(Collectors.toSet());
        assertFalse(types.contains(OnnxGraph.INT4) || types.contains(OnnxGraph.UINT4), "no 4-bit types before opset 21");
        assertTrue(m.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("Cast")));
    }

    @Test
    void narrowActivationCodesAreClippedToTheirBitRangeInTheWiderContainer() {
        // lenet5(1): fc1 has 2-bit activations held in uint8.
        OnnxMl.ModelProto m = OnnxExporter.build(ArtifactFixtures.lenet5(1), 21, true).model();
        Map<String, OnnxMl.TensorProto> init = initializers(m);
        assertEquals(OnnxGraph.UINT8, init.get("fc1.cmax").getDataType());
        assertEquals(3, init.get("fc1.cmax").getRawData().byteAt(0));
        List<String> ops = m.getGraph().getNodeList().stream().filter(n -> n.getName().startsWith("fc1."))
                .map(OnnxMl.NodeProto::getOpType).toList();
        assertEquals(List.of("DequantizeLinear", "Gemm", "Relu", "Clip", "QuantizeLinear", "Clip", "DequantizeLinear"),
                ops);
    }

    @Test
    void metadataRecordsBitWidthsKeptChannelsBopsAndTrial() throws Exception {
        FixedGateArtifact a = ArtifactFixtures.lenet5(2);
        OnnxMl.ModelProto m = OnnxExporter.build(a, 21, true).model();
        Map<String, String> meta = new HashMap<>();
        m.getMetadataPropsList().forEach(e -> meta.put(e.getKey(), e.getValue()));
        assertEquals(a.trialId(), meta.get("bitsweep.trial_id"));
        assertEquals(Double.toString(a.relativeBops()), meta.get("bitsweep.relative_bops"));
        JsonNode layers = new ObjectMapper().readTree(meta.get("bitsweep.layers"));
        assertEquals(4, layers.size());
        QuantLayer conv1 = (QuantLayer) a.nodes().get(0);
        assertEquals("conv1", layers.get(0).get("layer").asText());
        assertEquals(conv1.weightQuant().bits(), layers.get(0).get("weight_bits").asInt());
        assertEquals(conv1.outputQuant().bits(), layers.get(0).get("activation_bits").asInt());
        assertEquals(conv1.keptChannels(), layers.get(0).get("kept_channels").asInt());
        assertEquals(conv1.keptChannels(), layers.get(0).get("exported_channels").asInt());
        assertEquals(32, layers.get(0).get("channels").asInt());
    }

    /**
     * conv a (4 channels; 1 pruned with bias +0.5, 2 pruned with bias −0.5) feeds a padded conv:
     * channel 1's constant ReLU(0.5) would be wrong at the zero-padded border, so it stays as a zero
     * channel; channel 2 emits exactly 0 and is removed. conv b's pruned channel feeds flatten → linear
     * and is removed with its constant folded into the linear bias.
     */
    @Test
    void prunedChannelBeforePaddedConvIsKeptUnlessItsConstantIsZero() throws Exception {
        Random rng = new Random(3);
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("wa", randomTensor(rng, 4, 2, 3, 3));
        t.put("ba", new Tensor(new long[] {4}, new float[] {0.1f, 0.5f, -0.5f, 0.2f}));
        t.put("wb", randomTensor(rng, 3, 4, 3, 3));
        t.put("bb", new Tensor(new long[] {3}, new float[] {0.3f, 0.4f, 0.1f}));
        t.put("wc", randomTensor(rng, 5, 3 * 6 * 6));
        t.put("bc", new Tensor(new long[] {5}, new float[5]));
        QuantSpec act = new QuantSpec(8, 2f, false);
        FixedGateArtifact a = new FixedGateArtifact(1, "padded", "test", "test", new int[] {2, 6, 6}, 5, List.of(
                new QuantLayer("a", FixedGateArtifact.INPUT, QuantLayer.Kind.CONV, 2, 4, new int[] {3, 3},
                        new int[] {1, 1}, new int[] {1, 1}, "wa", "ba", new QuantSpec(4, 0.5f, true),
                        new boolean[] {true, false, false, true}, Activation.RELU, act),
                new QuantLayer("b", "a", QuantLayer.Kind.CONV, 4, 3, new int[] {3, 3}, new int[] {1, 1},
                        new int[] {1, 1}, "wb", "bb", new QuantSpec(2, 0.5f, true), new boolean[] {true, false, true},
                        Activation.RELU, act),
                new ArtifactNode.Flatten("flat", "b"),
                new QuantLayer("c", "flat", QuantLayer.Kind.LINEAR, 108, 5, null, null, null, "wc", "bc",
                        new QuantSpec(8, 0.5f, true), null, Activation.NONE, null)), 0, 0, null, List.of(), t);
        OnnxExporter.Built built = OnnxExporter.build(a, 21, true);
        assertEquals(2, built.removed(), "zero-constant channel of a and b's channel before the linear layer");
        assertEquals(1, built.keptZero(), "a's channel 1 feeds a padded conv with constant ReLU(0.5)");
        Map<String, Long> channels = OnnxRoundTripTest.exportedChannels(built.model());
        assertEquals(3L, channels.get("a"));
        assertEquals(2L, channels.get("b"));
        assertEquals(72L, initializers(built.model()).get("c.weight.codes").getDims(1), "2 channels × 36 rows");
        float[] pixels = ArtifactFixtures.randomPixels(new Random(4), 8 * 72);
        float[][] ort = OrtRunner.run(built.model().toByteArray(), pixels, new long[] {8, 2, 6, 6});
        try (ArtifactEvaluator eval = new ArtifactEvaluator(a)) {
            LogitComparison.of(ort, eval.logits(pixels, 8), 5).assertMatches("padded-conv artifact");
        }
    }

    /** All-positive weights get an unsigned grid: uint4 / uint16 initializers, and signed 2-bit activations. */
    @Test
    void unsignedWeightGridsUseUintContainersAndStillMatch() throws Exception {
        for (int bits : new int[] {2, 4, 8, 16}) {
            Random rng = new Random(bits);
            float[] w1 = new float[6 * 8];
            for (int i = 0; i < w1.length; i++) {
                w1[i] = rng.nextFloat() * 0.5f;
            }
            Map<String, Tensor> t = new LinkedHashMap<>();
            t.put("w1", new Tensor(new long[] {6, 8}, w1));
            t.put("b1", new Tensor(new long[] {6}, new float[] {-1f, -0.5f, 0f, -0.8f, -1.2f, -0.3f}));
            t.put("w2", randomTensor(rng, 3, 6));
            FixedGateArtifact a = new FixedGateArtifact(1, "unsigned-" + bits, "test", "test", new int[] {8, 1, 1}, 3,
                    List.of(new ArtifactNode.Flatten("flat", FixedGateArtifact.INPUT),
                            new QuantLayer("fc1", "flat", QuantLayer.Kind.LINEAR, 8, 6, null, null, null, "w1", "b1",
                                    new QuantSpec(bits, 0.45f, false), null, Activation.NONE,
                                    new QuantSpec(bits == 16 ? 2 : bits, 0.8f, true)),
                            new QuantLayer("fc2", "fc1", QuantLayer.Kind.LINEAR, 6, 3, null, null, null, "w2", null,
                                    new QuantSpec(bits, 0.5f, true), null, Activation.NONE, null)),
                    0, 0, null, List.of(), t);
            for (int opset : new int[] {21, 13}) {
                OnnxExporter.Built built = OnnxExporter.build(a, opset, true);
                int expected = opset == 21 && bits <= 4 ? OnnxGraph.UINT4 : bits <= 8 ? OnnxGraph.UINT8 : OnnxGraph.UINT16;
                assertEquals(expected, initializers(built.model()).get("fc1.weight.codes").getDataType(),
                        bits + "-bit unsigned weights at opset " + opset);
                float[] pixels = ArtifactFixtures.randomPixels(new Random(5), 16 * 8);
                float[][] ort = OrtRunner.run(built.model().toByteArray(), pixels, new long[] {16, 8, 1, 1});
                try (ArtifactEvaluator eval = new ArtifactEvaluator(a)) {
                    LogitComparison.of(ort, eval.logits(pixels, 16), 3).assertMatches(a.trialId() + " opset " + opset);
                }
            }
        }
    }

    @Test
    void float32BaselineKeepsEveryChannelAndHasNoQuantizers() throws Exception {
        FixedGateArtifact a = ArtifactFixtures.lenet5(1);
        OnnxExporter.Built built = OnnxExporter.build(a, 21, false);
        assertEquals(0, built.removed());
        assertTrue(built.model().getGraph().getInitializerList().stream().allMatch(t -> t.getDataType() == OnnxGraph.FLOAT));
        assertTrue(built.model().getGraph().getNodeList().stream()
                .noneMatch(n -> n.getOpType().contains("Quantize") || n.getOpType().equals("Clip")));
        assertEquals(32L, OnnxRoundTripTest.exportedChannels(built.model()).get("conv1"));
        // Same function as the artifact with every quantizer and pruning mask removed.
        List<ArtifactNode> plain = a.nodes().stream().map(n -> n instanceof QuantLayer l
                ? new QuantLayer(l.name(), l.input(), l.kind(), l.inChannels(), l.outChannels(), l.kernel(), l.stride(),
                l.padding(), l.weight(), l.bias(), null, null, l.activation(), null) : n).toList();
        FixedGateArtifact floatArtifact = new FixedGateArtifact(1, "float", a.architecture(), a.experiment(),
                a.inputShape(), a.numClasses(), plain, 100, 0, null, List.of(), a.tensors());
        float[] pixels = ArtifactFixtures.randomPixels(new Random(8), 4 * 784);
        float[][] ort = OrtRunner.run(built.model().toByteArray(), pixels, new long[] {4, 1, 28, 28});
        try (ArtifactEvaluator eval = new ArtifactEvaluator(floatArtifact)) {
            LogitComparison.of(ort, eval.logits(pixels, 4), 10).assertMatches("float32 baseline");
        }
    }

    @Test
    void exportWritesTheModelAtomicallyAndReportsItsSize(@TempDir Path dir) throws Exception {
        FixedGateArtifact a = ArtifactFixtures.lenet5(3);
        Path out = dir.resolve("sub/model.onnx");
        ExportSummary s = OnnxExporter.export(a, out, 21, true);
        assertEquals(Files.size(out), s.bytes());
        assertEquals(21, s.opset());
        assertTrue(s.removedChannels() > 0);
        try (var files = Files.list(out.getParent())) {
            assertEquals(1, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void malformedArtifactsFailWithTheNodeOrTensorNamed() {
        FixedGateArtifact a = ArtifactFixtures.lenet5(1);
        Map<String, Tensor> missing = new LinkedHashMap<>(a.tensors());
        missing.remove("fc1.weight");
        Exception e = assertThrows(IllegalStateException.class, () -> OnnxExporter.build(a.withTensors(missing), 21, true));
        assertTrue(e.getMessage().contains("fc1.weight"), e.getMessage());

        QuantLayer conv2 = (QuantLayer) a.nodes().get(2);
        FixedGateArtifact wrongInput = ArtifactFixtures.withNode(a, new QuantLayer("conv2", "nowhere", conv2.kind(),
                conv2.inChannels(), conv2.outChannels(), conv2.kernel(), conv2.stride(), conv2.padding(), conv2.weight(),
                conv2.bias(), conv2.weightQuant(), conv2.keep(), conv2.activation(), conv2.outputQuant()));
        e = assertThrows(IllegalArgumentException.class, () -> OnnxExporter.build(wrongInput, 21, true));
        assertTrue(e.getMessage().contains("conv2") && e.getMessage().contains("nowhere"), e.getMessage());

        QuantLayer fc1 = (QuantLayer) a.nodes().get(5);
        FixedGateArtifact zeroRange = ArtifactFixtures.withNode(a, new QuantLayer("fc1", fc1.input(), fc1.kind(),
                fc1.inChannels(), fc1.outChannels(), fc1.kernel(), fc1.stride(), fc1.padding(), fc1.weight(), fc1.bias(),
                fc1.weightQuant(), fc1.keep(), fc1.activation(), new QuantSpec(8, 0f, false)));
        e = assertThrows(IllegalArgumentException.class, () -> OnnxExporter.build(zeroRange, 21, true));
        assertTrue(e.getMessage().contains("fc1") && e.getMessage().contains("outputQuant.xMax"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> OnnxExporter.build(a, 17, true));
        assertTrue(e.getMessage().contains("21 or 13"), e.getMessage());
    }

    private static Tensor randomTensor(Random rng, long... shape) {
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rng.nextGaussian() * 0.4);
        }
        return new Tensor(shape, v);
    }
}
