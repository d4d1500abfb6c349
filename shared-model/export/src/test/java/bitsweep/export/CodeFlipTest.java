package bitsweep.export;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import bitsweep.artifact.ArtifactNode.QuantLayer;
import bitsweep.artifact.FixedGateArtifact;
import bitsweep.artifact.QuantSpec;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Explains the rare round-trip examples beyond 1e-4: ONNX Runtime and PyTorch sum a convolution in
 * different orders, so a value within a few ulps of a rounding boundary may get the neighbouring
 * code. On the first quantized layer (identical inputs) every difference must be exactly one code
 * step, and such flips must be rare.
 */
class CodeFlipTest {
    private static final Logger LOG = LoggerFactory.getLogger(CodeFlipTest.class);

    @Test
    void firstLayerActivationsDifferOnlyBySingleCodeFlipsAtRoundingTies() throws Exception {
        for (long seed : new long[] {1, 4}) {
            FixedGateArtifact a = ArtifactFixtures.vgg7(seed);
            QuantLayer conv1 = (QuantLayer) a.nodes().get(1);
            QuantSpec q = conv1.outputQuant();
            OnnxExporter.Built built = OnnxExporter.build(a, 21, true);
            String tensor = built.nodeTensors().get(conv1.name());
            OnnxMl.ModelProto probe = built.model().toBuilder().setGraph(built.model().getGraph().toBuilder()
                    .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(tensor).setType(OnnxMl.TypeProto.newBuilder()
                            .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(OnnxGraph.FLOAT))))).build();
            int n = 8;
            int[] s = a.inputShape();
            float[] pixels = ArtifactFixtures.randomImages(new Random(99), n, s);
            float[] ort = run(probe.toByteArray(), tensor, pixels, new long[] {n, s[0], s[1], s[2]});
            float[] djl;
            try (ArtifactEvaluator eval = new ArtifactEvaluator(a)) {
                djl = eval.nodeOutputs(pixels, n).get(conv1.name());
            }
            int[] kept = built.plan().kept(conv1.name());
            int hw = s[1] * s[2];
            long flips = 0;
            long total = 0;
            float step = q.bits() == 32 ? 0 : q.scale();
            for (int e = 0; e < n; e++) {
                for (int k = 0; k < kept.length; k++) {
                    for (int p = 0; p < hw; p++) {
                        float o = ort[(e * kept.length + k) * hw + p];
                        float d = djl[(e * conv1.outChannels() + kept[k]) * hw + p];
                        total++;
                        if (o == d) {
                            continue;
                        }
                        flips++;
                        assertTrue(step > 0 && Math.abs(Math.abs(o - d) - step) <= 1e-6f * Math.max(1f, Math.abs(d)),
                                "seed " + seed + ": ORT " + o + " vs DJL " + d + " is not one code step " + step);
                    }
                }
            }
            LOG.info("vgg7 seed {} conv1 ({}-bit activations): {} of {} codes flipped ({} ppm)", seed, q.bits(), flips,
                    total, String.format("%.1f", 1e6 * flips / total));
            assertTrue(flips <= total / 1000, flips + " flips of " + total);
        }
    }

    private static float[] run(byte[] model, String output, float[] pixels, long[] shape) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(model, options);
             OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), shape);
             OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, x), java.util.Set.of(output))) {
            OnnxTensor t = (OnnxTensor) result.get(output).orElseThrow();
            FloatBuffer b = t.getFloatBuffer();
            float[] v = new float[b.remaining()];
            b.get(v);
            return v;
        }
    }
}
