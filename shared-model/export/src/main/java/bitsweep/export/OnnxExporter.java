package bitsweep.export;

import ai.onnx.proto.OnnxMl;
import bitsweep.artifact.ArtifactNode.QuantLayer;
import bitsweep.artifact.ArtifactNode;
import bitsweep.artifact.FixedGateArtifact;
import bitsweep.artifact.QuantSpec;
import bitsweep.io.AtomicFiles;
import bitsweep.io.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a fixed-gate artifact into an ONNX model (pruned channels removed, integer weights).
 *
 * <p>Graph contract: input {@value #INPUT} float32 {@code [N, C, H, W]} raw pixels in [0, 1]
 * (normalisation is the first op of the graph), output {@value #OUTPUT} float32 {@code [N, classes]}.
 * Weights below 32 bits are integer initializers at their bit width followed by
 * {@code DequantizeLinear}; activations are {@code Clip(l, h) → QuantizeLinear → DequantizeLinear},
 * which with ONNX's {@code x / scale} and round-half-to-even is the artifact's
 * {@code s·⌊clamp(x, l, h)/s⌉}. See {@code docs/export.md}.
 */
public final class OnnxExporter {
    public static final String INPUT = "input";
    public static final String OUTPUT = "logits";
    public static final int DEFAULT_OPSET = 21;
    /** Metadata keys written to {@code metadata_props}. */
    public static final String META_PREFIX = "bitsweep.";

    private static final Logger LOG = LoggerFactory.getLogger(OnnxExporter.class);

    private OnnxExporter() {
    }

    /**
     * @param opset 21 (int4/int16 weights) or 13 (int8 containers)
     * @param quantized false exports the same network in plain float32, unpruned (the size baseline)
     * @return the export summary
     */
    public static ExportSummary export(FixedGateArtifact artifact, Path out, int opset, boolean quantized)
            throws IOException {
        Built built = build(artifact, opset, quantized);
        byte[] bytes = built.model().toByteArray();
        AtomicFiles.writeBytes(out, bytes);
        LOG.info("exported trial {} ({}, opset {}, {}) to {}: {} bytes, {} pruned channels removed, {} kept as zero",
                artifact.trialId(), artifact.architecture(), opset, quantized ? "quantized" : "float32 baseline",
                out, bytes.length, built.removed(), built.keptZero());
        return new ExportSummary(out.toString(), bytes.length, opset, built.removed(), built.keptZero());
    }

    /**
     * The model and its channel counts, without writing anything.
     *
     * @param nodeTensors artifact node → name of the ONNX tensor holding its output (for diagnostics)
     * @param plan        which channels of each node's output were exported
     */
    record Built(OnnxMl.ModelProto model, int removed, int keptZero, Map<String, String> nodeTensors, ChannelPlan plan) {
    }

    static Built build(FixedGateArtifact artifact, int opset, boolean quantized) {
        if (opset != 21 && opset != 13) {
            throw new IllegalArgumentException("opset: expected 21 or 13, got " + opset);
        }
        NodeShapes shapes = new NodeShapes(artifact);
        ChannelPlan plan = quantized ? ChannelPlan.pruned(artifact, shapes) : ChannelPlan.unpruned(artifact, shapes);
        Emitter emitter = new Emitter(artifact, plan, opset, quantized);
        OnnxMl.GraphProto graph = emitter.emit();
        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(opset == 21 ? 10 : 7)
                .setProducerName("bitsweep")
                .setProducerVersion("0.1.0")
                .setDocString("BitSweep fixed-gate model of trial " + artifact.trialId()
                        + (quantized ? " (mixed precision, pruned)" : " (float32 baseline, unpruned)"))
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph);
        metadata(artifact, plan, quantized).forEach((k, v) ->
                model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(META_PREFIX + k).setValue(v)));
        return new Built(model.build(), plan.removed(), plan.keptZero(), Map.copyOf(emitter.tensorOf), plan);
    }

    private static Map<String, String> metadata(FixedGateArtifact artifact, ChannelPlan plan, boolean quantized) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("trial_id", String.valueOf(artifact.trialId()));
        meta.put("architecture", String.valueOf(artifact.architecture()));
        meta.put("experiment", String.valueOf(artifact.experiment()));
        meta.put("relative_bops", Double.toString(artifact.relativeBops()));
        meta.put("gbops", Double.toString(artifact.gbops()));
        if (artifact.top1() != null) {
            meta.put("djl_top1", Double.toString(artifact.top1()));
        }
        meta.put("quantized", Boolean.toString(quantized));
        meta.put("removed_channels", Integer.toString(plan.removed()));
        meta.put("kept_zero_channels", Integer.toString(plan.keptZero()));
        List<Map<String, Object>> layers = new ArrayList<>();
        for (ArtifactNode node : artifact.nodes()) {
            if (node instanceof QuantLayer l) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("layer", l.name());
                row.put("kind", l.kind().name().toLowerCase(java.util.Locale.ROOT));
                row.put("weight_bits", quantized && l.weightQuant() != null ? l.weightQuant().bits() : 32);
                row.put("activation_bits", quantized && l.outputQuant() != null ? l.outputQuant().bits() : 0);
                row.put("channels", l.outChannels());
                row.put("kept_channels", l.keptChannels());
                row.put("exported_channels", plan.kept(l.name()).length);
                row.put("zero_channels_kept", plan.keptZero(l.name()));
                layers.add(row);
            }
        }
        try {
            meta.put("layers", Json.MAPPER.writeValueAsString(layers));
            if (artifact.bitTable() != null) {
                meta.put("bit_table", Json.MAPPER.writeValueAsString(artifact.bitTable()));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode export metadata", e);
        }
        return meta;
    }

    /** Walks the artifact's nodes in order and appends the matching ONNX nodes. */
    private static final class Emitter {
        private final FixedGateArtifact artifact;
        private final ChannelPlan plan;
        private final int opset;
        private final boolean quantized;
        private final OnnxGraph g;
        private final Map<String, String> tensorOf = new HashMap<>();

        Emitter(FixedGateArtifact artifact, ChannelPlan plan, int opset, boolean quantized) {
            this.artifact = artifact;
            this.plan = plan;
            this.opset = opset;
            this.quantized = quantized;
            this.g = new OnnxGraph(artifact.architecture() + "-" + artifact.trialId(), INPUT, OUTPUT);
        }

        OnnxMl.GraphProto emit() {
            g.floatInput(INPUT, artifact.inputShape());
            tensorOf.put(FixedGateArtifact.INPUT, INPUT);
            for (ArtifactNode node : artifact.nodes()) {
                tensorOf.put(node.name(), emit(node));
            }
            g.nodeNamed("Identity", OUTPUT, new String[] {tensorOf.get(artifact.outputNode())});
            g.floatOutput(OUTPUT, artifact.numClasses());
            return g.build();
        }

        private String in(String node) {
            return tensorOf.get(node);
        }

        private String emit(ArtifactNode node) {
            if (node instanceof ArtifactNode.Normalize n) {
                long[] dims = {1, n.mean().length, 1, 1};
                String centred = g.node("Sub", n.name() + ".sub",
                        new String[] {in(n.input()), g.floats(n.name() + ".mean", dims, n.mean())});
                return g.node("Div", n.name(), new String[] {centred, g.floats(n.name() + ".std", dims, n.std())});
            }
            if (node instanceof QuantLayer l) {
                return layer(l);
            }
            if (node instanceof ArtifactNode.MaxPool p) {
                return g.node("MaxPool", p.name(), new String[] {in(p.input())},
                        OnnxGraph.ints("kernel_shape", p.kernel()), OnnxGraph.ints("strides", p.stride()),
                        OnnxGraph.ints("pads", p.padding()[0], p.padding()[1], p.padding()[0], p.padding()[1]));
            }
            if (node instanceof ArtifactNode.GlobalAvgPool p) {
                return g.node("GlobalAveragePool", p.name(), new String[] {in(p.input())});
            }
            if (node instanceof ArtifactNode.Flatten f) {
                return g.node("Flatten", f.name(), new String[] {in(f.input())}, OnnxGraph.intAttr("axis", 1));
            }
            ArtifactNode.Add add = (ArtifactNode.Add) node;
            String sum = g.node("Add", add.name() + ".sum", new String[] {in(add.a()), in(add.b())});
            return activationAndQuant(add.name(), sum, add.activation(), add.outputQuant(), plan.kept(add.name()).length);
        }

        private String layer(QuantLayer l) {
            int[] keptOut = plan.kept(l.name());
            int[] keptIn = plan.kept(l.input());
            boolean conv = l.kind() == QuantLayer.Kind.CONV;
            int taps = conv ? l.kernel()[0] * l.kernel()[1] : 1;
            long[] dims = conv ? new long[] {keptOut.length, keptIn.length, l.kernel()[0], l.kernel()[1]}
                    : new long[] {keptOut.length, keptIn.length};
            String weight = weight(l, keptOut, keptIn, taps, dims);
            String[] inputs = {in(l.input()), weight, bias(l, keptOut)};
            String y;
            if (conv) {
                y = g.node("Conv", l.name() + ".conv", inputs,
                        OnnxGraph.ints("kernel_shape", l.kernel()), OnnxGraph.ints("strides", l.stride()),
                        OnnxGraph.ints("pads", l.padding()[0], l.padding()[1], l.padding()[0], l.padding()[1]));
            } else {
                y = g.node("Gemm", l.name() + ".gemm", inputs, OnnxGraph.intAttr("transB", 1));
            }
            return activationAndQuant(l.name(), y, l.activation(), l.outputQuant(), keptOut.length);
        }

        /** The layer's weights, sliced to the exported channels, as a float tensor name. */
        private String weight(QuantLayer l, int[] keptOut, int[] keptIn, int taps, long[] dims) {
            String base = l.name() + ".weight";
            if (!quantized) {
                return g.floats(base, dims, slice(artifact.tensor(l.weight()).data(), l.inChannels(), keptOut, keptIn, taps));
            }
            QuantizedWeights w = plan.weights(l);
            QuantSpec q = l.weightQuant();
            if (w.codes() == null) {
                return g.floats(base, dims, slice(w.values(), l.inChannels(), keptOut, keptIn, taps));
            }
            int[] codes = slice(w.codes(), l.inChannels(), keptOut, keptIn, taps);
            String scale = g.scalar(base + ".scale", q.scale());
            if (opset == 13 && q.bits() == 16) {
                // DequantizeLinear-13 takes only 8-bit (or int32) input: int16 codes → Cast → Mul is the same k·s.
                int type = q.signed() ? OnnxGraph.INT16 : OnnxGraph.UINT16;
                String cast = g.node("Cast", base + ".float", new String[] {g.integers(base + ".codes", type, dims, codes)},
                        OnnxGraph.intAttr("to", OnnxGraph.FLOAT));
                return g.node("Mul", base + ".dq", new String[] {cast, scale});
            }
            int type = container(q, opset);
            return g.node("DequantizeLinear", base + ".dq",
                    new String[] {g.integers(base + ".codes", type, dims, codes), scale, g.zeroPoint(base + ".zp", type)});
        }

        /**
         * Float bias of the exported channels plus the folded constants of removed input channels.
         * Always present (zeros for a bias-free layer): ORT fuses DequantizeLinear → Conv/Gemm
         * without a bias into an integer QGemm/QLinearConv, which rejects our per-channel
         * activation scale; a float bias keeps the layer in float.
         */
        private String bias(QuantLayer l, int[] keptOut) {
            double[] delta = quantized ? plan.biasDelta(l.name()) : null;
            float[] original = l.bias() == null ? null : artifact.tensor(l.bias()).data();
            float[] b = new float[keptOut.length];
            for (int i = 0; i < keptOut.length; i++) {
                float base = original == null ? 0f : original[keptOut[i]];
                b[i] = delta == null ? base : (float) (base + delta[keptOut[i]]);
            }
            return g.floats(l.name() + ".bias", new long[] {b.length}, b);
        }

        /** {@code channels}: size of axis 1 of {@code x}, for the per-channel dequantization scale. */
        private String activationAndQuant(String name, String x, ArtifactNode.Activation act, QuantSpec q,
                                          int channels) {
            String y = x;
            if (act == ArtifactNode.Activation.RELU) {
                y = g.node("Relu", name + ".relu", new String[] {y});
            }
            if (!quantized || q == null) {
                return y;
            }
            String clipped = g.node("Clip", name + ".clip", new String[] {y,
                    g.scalar(name + ".lo", QuantMath.low(q)), g.scalar(name + ".hi", QuantMath.high(q))});
            if (q.bits() == 32) {
                return clipped; // QuantSpec: 32-bit rounding is below float32 resolution
            }
            String scale = g.scalar(name + ".scale", q.scale());
            if (opset == 13 && q.bits() == 16) {
                // QuantizeLinear-13 has no 16-bit output; Div → Round (half to even) → Mul is the same s·⌊x/s⌉.
                String div = g.node("Div", name + ".div", new String[] {clipped, scale});
                String round = g.node("Round", name + ".round", new String[] {div});
                String held = g.node("Clip", name + ".codes", new String[] {round,
                        g.scalar(name + ".cmin", (float) q.minCode()), g.scalar(name + ".cmax", (float) q.maxCode())});
                return g.node("Mul", name + ".fq", new String[] {held, scale});
            }
            int type = activationContainer(q);
            String zp = g.zeroPoint(name + ".zp", type);
            String codes = g.node("QuantizeLinear", name + ".q", new String[] {clipped, scale, zp});
            if (q.bits() < 8) {
                // Pins the code range of a 2- or 4-bit quantizer held in an 8-bit container: on a signed grid the
                // clip bound can round one code up (QuantMath.code); 8- and 16-bit containers saturate there.
                codes = g.node("Clip", name + ".codes", new String[] {codes,
                        g.integers(name + ".cmin", type, new long[0], new int[] {(int) q.minCode()}),
                        g.integers(name + ".cmax", type, new long[0], new int[] {(int) q.maxCode()})});
            }
            // The dequantization scale is the per-tensor scale repeated per channel (axis 1). With a scalar
            // scale ONNX Runtime's WeightBiasQuantization pass would treat the next Conv/Gemm as an int8
            // QDQ group and re-quantize its float bias to int32 (and 32-bit weights to int8): lossy.
            float[] perChannel = new float[channels];
            java.util.Arrays.fill(perChannel, q.scale());
            String dqScale = g.floats(name + ".dq_scale", new long[] {channels}, perChannel);
            String dqZp = g.integers(name + ".dq_zp", type, new long[] {channels}, new int[channels]);
            return g.node("DequantizeLinear", name + ".dq", new String[] {codes, dqScale, dqZp},
                    OnnxGraph.intAttr("axis", 1));
        }
    }

    /**
     * Activation codes of 2, 4 and 8 bits travel in int8/uint8 (followed by an integer Clip to the
     * b-bit range), 16-bit codes in int16/uint16. Not int4: ONNX Runtime 1.23's Clip→QuantizeLinear
     * fusion aborts session creation on a 4-bit zero point, and activations are never stored, so a
     * 4-bit container would save nothing.
     */
    static int activationContainer(QuantSpec q) {
        if (q.bits() <= 8) {
            return q.signed() ? OnnxGraph.INT8 : OnnxGraph.UINT8;
        }
        return q.signed() ? OnnxGraph.INT16 : OnnxGraph.UINT16;
    }

    /** ONNX integer type holding a {@code q.bits()}-bit weight code: int4/int8/int16 (opset 21) or int8 (opset 13). */
    static int container(QuantSpec q, int opset) {
        int bits = q.bits() <= 4 && opset >= 21 ? 4 : q.bits() <= 8 ? 8 : 16;
        return switch (bits) {
            case 4 -> q.signed() ? OnnxGraph.INT4 : OnnxGraph.UINT4;
            case 8 -> q.signed() ? OnnxGraph.INT8 : OnnxGraph.UINT8;
            default -> q.signed() ? OnnxGraph.INT16 : OnnxGraph.UINT16;
        };
    }

    /** {@code src[o][i][t]} for the kept output and input channels, row-major. */
    private static float[] slice(float[] src, int in, int[] keptOut, int[] keptIn, int taps) {
        float[] dst = new float[keptOut.length * keptIn.length * taps];
        int j = 0;
        for (int o : keptOut) {
            for (int i : keptIn) {
                System.arraycopy(src, (o * in + i) * taps, dst, j, taps);
                j += taps;
            }
        }
        return dst;
    }

    private static int[] slice(int[] src, int in, int[] keptOut, int[] keptIn, int taps) {
        int[] dst = new int[keptOut.length * keptIn.length * taps];
        int j = 0;
        for (int o : keptOut) {
            for (int i : keptIn) {
                System.arraycopy(src, (o * in + i) * taps, dst, j, taps);
                j += taps;
            }
        }
        return dst;
    }
}
