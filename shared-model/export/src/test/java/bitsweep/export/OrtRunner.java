package bitsweep.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/** Runs a serialized ONNX model on the CPU EP in tests. */
final class OrtRunner {
    private OrtRunner() {
    }

    static float[][] run(byte[] model, float[] pixels, long[] shape) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(model, options);
             OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), shape);
             OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, x))) {
            return (float[][]) result.get(OnnxExporter.OUTPUT).orElseThrow().getValue();
        }
    }
}
