package bitsweep.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import bitsweep.artifact.FixedGateArtifact;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxValidatorTest {

    @Test
    void exportedModelPassesAgainstTheDjlFixedGateModel(@TempDir Path dir) throws Exception {
        FixedGateArtifact a = ArtifactFixtures.lenet5(2);
        Path model = dir.resolve("m.onnx");
        OnnxExporter.export(a, model, 21, true);
        ValidationResult r = OnnxValidator.validate(model, a, RandomImageDataset.forArtifact(a, 250, 7), 0, 64);
        assertEquals(ValidationResult.PASS, r.status(), String.valueOf(r.message()));
        assertEquals(250, r.examples());
        assertEquals(1.0, r.agreement());
        assertEquals(r.djlTop1(), r.ortTop1());
        assertTrue(r.maxAbsLogitDiff() < 1e-4, "max |Δlogit| " + r.maxAbsLogitDiff());
        assertEquals(Files.size(model), r.modelBytes());
        assertTrue(r.modelBytes() < r.fp32ModelBytes());
        assertNotNull(r.executionProvider());
        assertEquals(a.trialId(), r.trialId());
    }

    @Test
    void limitCapsTheNumberOfExamples(@TempDir Path dir) throws Exception {
        FixedGateArtifact a = ArtifactFixtures.lenet5(3);
        Path model = dir.resolve("m.onnx");
        OnnxExporter.export(a, model, 13, true);
        ValidationResult r = OnnxValidator.validate(model, a, RandomImageDataset.forArtifact(a, 500, 7), 120);
        assertEquals(120, r.examples());
        assertEquals(ValidationResult.PASS, r.status());
    }

    /** A model whose fc2 bias was shifted for one class predicts differently: never silently accepted. */
    @Test
    void alteredModelIsMarkedMismatch(@TempDir Path dir) throws Exception {
        FixedGateArtifact a = ArtifactFixtures.lenet5(2);
        OnnxMl.ModelProto model = OnnxExporter.build(a, 21, true).model();
        OnnxMl.GraphProto.Builder graph = model.getGraph().toBuilder();
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            if (graph.getInitializer(i).getName().equals("fc2.bias")) {
                ByteBuffer b = ByteBuffer.wrap(graph.getInitializer(i).getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
                b.putFloat(3 * 4, b.getFloat(3 * 4) + 50f);
                graph.setInitializer(i, graph.getInitializer(i).toBuilder().setRawData(ByteString.copyFrom(b.array())));
            }
        }
        Path altered = dir.resolve("altered.onnx");
        Files.write(altered, model.toBuilder().setGraph(graph).build().toByteArray());
        ValidationResult r = OnnxValidator.validate(altered, a, RandomImageDataset.forArtifact(a, 200, 7), 0);
        assertEquals(ValidationResult.MISMATCH, r.status());
        assertTrue(r.agreement() < 0.999);
        assertTrue(r.maxAbsLogitDiff() > 10);
        assertTrue(r.message().contains("agreement"), r.message());
    }

    @Test
    void unreadableModelIsAnErrorNamingTheFile(@TempDir Path dir) throws Exception {
        FixedGateArtifact a = ArtifactFixtures.lenet5(1);
        Path missing = dir.resolve("missing.onnx");
        ValidationResult r = OnnxValidator.validate(missing, a, RandomImageDataset.forArtifact(a, 10, 7), 0);
        assertEquals(ValidationResult.ERROR, r.status());
        assertTrue(r.message().contains("missing.onnx"), r.message());

        Path garbage = dir.resolve("garbage.onnx");
        Files.writeString(garbage, "not a model");
        r = OnnxValidator.validate(garbage, a, RandomImageDataset.forArtifact(a, 10, 7), 0);
        assertEquals(ValidationResult.ERROR, r.status());
        assertTrue(r.message().contains("garbage.onnx"), r.message());
    }

    @Test
    void testSetOfTheWrongShapeIsAnError(@TempDir Path dir) throws Exception {
        FixedGateArtifact a = ArtifactFixtures.lenet5(1);
        Path model = dir.resolve("m.onnx");
        OnnxExporter.export(a, model, 21, true);
        ValidationResult r = OnnxValidator.validate(model, a, new RandomImageDataset(bitsweep.data.DatasetInfo.CIFAR10, 10, 1), 0);
        assertEquals(ValidationResult.ERROR, r.status());
        assertTrue(r.message().contains("3×32×32"), r.message());
    }
}
