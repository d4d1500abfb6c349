package bitsweep.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import bitsweep.artifact.FixedGateArtifact;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutionProvidersTest {

    @Test
    void cudaIsUsedWhenItsSessionOpens() throws Exception {
        List<Boolean> attempts = new ArrayList<>();
        ExecutionProviders.Selected<String> s = ExecutionProviders.select(cuda -> {
            attempts.add(cuda);
            return cuda ? "gpu session" : "cpu session";
        });
        assertEquals("gpu session", s.session());
        assertEquals(ExecutionProviders.CUDA, s.provider());
        assertNull(s.fallbackReason());
        assertEquals(List.of(true), attempts, "no CPU session is opened when CUDA works");
    }

    @Test
    void cudaThatCannotBeAddedFallsBackToCpuWithOrtsMessageAsTheReason() throws Exception {
        ExecutionProviders.Selected<String> s = ExecutionProviders.select(cuda -> {
            if (cuda) {
                throw new OrtException("libcudnn.so.9: cannot open shared object file");
            }
            return "cpu session";
        });
        assertEquals("cpu session", s.session());
        assertEquals(ExecutionProviders.CPU, s.provider());
        assertTrue(s.fallbackReason().startsWith("libcudnn.so.9: cannot open shared object file"), s.fallbackReason());
        assertTrue(s.fallbackReason().contains("providers in this ONNX Runtime build"), s.fallbackReason());
    }

    @Test
    void cudaLibrariesThatFailToLinkAlsoFallBackToCpu() throws Exception {
        ExecutionProviders.Selected<String> s = ExecutionProviders.select(cuda -> {
            if (cuda) {
                throw new UnsatisfiedLinkError("libcuda.so.1: not found");
            }
            return "cpu session";
        });
        assertEquals(ExecutionProviders.CPU, s.provider());
        assertTrue(s.fallbackReason().contains("libcuda.so.1"), s.fallbackReason());
    }

    /** An unreadable model fails on every EP: that is the error to report, not a CUDA fallback. */
    @Test
    void modelThatTheCpuCannotOpenEitherIsThrownNotHidden() {
        OrtException cpuError = new OrtException("Load model failed: protobuf parsing failed");
        OrtException thrown = assertThrows(OrtException.class, () -> ExecutionProviders.select(cuda -> {
            throw cuda ? new OrtException("CUDA said no") : cpuError;
        }));
        assertSame(cpuError, thrown);
    }

    /**
     * Runs the real fallback: the CPU artifact (default build) has no CUDA EP at all; onnxruntime_gpu
     * (CUDA build) has one that cannot load on a machine without the NVIDIA driver.
     */
    @Test
    void withoutAUsableCudaTheRealCudaAttemptFailsAndTheSessionRunsOnCpu(@TempDir Path dir) throws Exception {
        boolean cudaEpInBuild = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
        assumeFalse(cudaEpInBuild && Files.exists(Path.of("/dev/nvidiactl")),
                "CUDA build on a machine with an NVIDIA driver: CUDA may really work here");
        FixedGateArtifact a = ArtifactFixtures.lenet5(1);
        Path model = dir.resolve("m.onnx");
        OnnxExporter.export(a, model, 21, true);

        ExecutionProviders.Selected<OrtSession> s = ExecutionProviders.open(OrtEnvironment.getEnvironment(), model, 0);
        try (OrtSession session = s.session()) {
            assertEquals(ExecutionProviders.CPU, s.provider());
            if (!cudaEpInBuild) {
                // ORT Java's own message when the build has no CUDA provider library.
                assertTrue(s.fallbackReason().contains("Failed to find CUDA shared provider"), s.fallbackReason());
                assertTrue(s.fallbackReason().contains("[CPU]"), s.fallbackReason());
            } else {
                assertTrue(s.fallbackReason().contains("CUDA"), s.fallbackReason());
            }
            assertEquals(List.of(OnnxExporter.INPUT), List.copyOf(session.getInputNames()));
        }
        ValidationResult r = OnnxValidator.validate(model, a, RandomImageDataset.forArtifact(a, 20, 7), 0);
        assertEquals(ExecutionProviders.CPU, r.executionProvider(), "validation.json records the EP used");
    }
}
