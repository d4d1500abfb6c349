package bitsweep.export;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens ONNX Runtime sessions on the CUDA execution provider when it loads, else on the CPU.
 *
 * <p>CUDA can fail at two points: appending the EP (the CPU artifact has none; the provider library
 * cannot load its CUDA/cuDNN libraries) and creating the session (no driver, no GPU). Either way the
 * session is opened again on the CPU and ORT's own message becomes the recorded reason, logged once.
 * A model that the CPU cannot open either is a model problem: that error is thrown, not hidden.
 */
public final class ExecutionProviders {
    public static final String CUDA = "CUDA";
    public static final String CPU = "CPU";
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionProviders.class);
    /** Reasons already logged at WARN: a sweep validates many models, the reason is the same for all. */
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private ExecutionProviders() {
    }

    /** The seam: opens a session with or without the CUDA EP (tests fake it; real ORT below). */
    @FunctionalInterface
    interface Opener<S> {
        S open(boolean cuda) throws Exception;
    }

    /**
     * @param session        the open session
     * @param provider       {@link #CUDA} or {@link #CPU}: what the session runs on
     * @param fallbackReason why CUDA was not used (ORT's message), null on CUDA
     */
    public record Selected<S>(S session, String provider, String fallbackReason) {
    }

    /** Opens {@code model} on GPU {@code device} if the CUDA EP loads there, else on the CPU. */
    public static Selected<OrtSession> open(OrtEnvironment env, Path model, int device) throws OrtException {
        try {
            return select(cuda -> openOrt(env, model, cuda, device));
        } catch (OrtException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static <S> Selected<S> select(Opener<S> opener) throws Exception {
        Throwable cudaFailure;
        try {
            return new Selected<>(opener.open(true), CUDA, null);
        } catch (Exception | LinkageError e) {
            cudaFailure = e;
        }
        S session = opener.open(false);
        String reason = reason(cudaFailure);
        if (LOGGED.add(reason)) {
            LOG.warn("ONNX Runtime's CUDA execution provider is not usable here, running on CPU: {}", reason);
        } else {
            LOG.debug("ONNX Runtime on CPU: {}", reason);
        }
        return new Selected<>(session, CPU, reason);
    }

    private static OrtSession openOrt(OrtEnvironment env, Path model, boolean cuda, int device) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (cuda) {
                options.addCUDA(device);
            }
            return env.createSession(model.toString(), options);
        }
    }

    /** ORT's message plus the EPs this ORT build has, which tells "CPU artifact" from "CUDA/driver problem". */
    static String reason(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        String providers;
        try {
            providers = String.valueOf(OrtEnvironment.getAvailableProviders());
        } catch (RuntimeException | LinkageError unavailable) {
            providers = "unknown";
        }
        return message + " (providers in this ONNX Runtime build: " + providers + ")";
    }
}
