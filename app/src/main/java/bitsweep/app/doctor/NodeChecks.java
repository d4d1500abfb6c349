package bitsweep.app.doctor;

import ai.djl.engine.Engine;
import ai.onnxruntime.OrtEnvironment;
import bitsweep.cluster.ClusterConfig.HostPort;
import bitsweep.cluster.ClusterConfig;
import bitsweep.natives.GpuNatives;
import bitsweep.natives.NativesLayout;
import bitsweep.orchestrator.api.ApiBinding;
import com.typesafe.config.Config;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What {@code bitsweep doctor} looks at on this node; each method is one area and never throws. */
final class NodeChecks {
    private NodeChecks() {
    }

    static Check java() {
        Runtime rt = Runtime.getRuntime();
        return Check.ok("java", System.getProperty("java.vm.name") + " " + Runtime.version() + ", max heap "
                + (rt.maxMemory() >> 20) + " MiB, " + rt.availableProcessors() + " cores");
    }

    static List<Check> djl() {
        List<Check> out = new ArrayList<>();
        String natives = NativesLayout.bundledNatives() != null ? "CPU natives bundled in this build"
                : "no bundled natives (CUDA build): DJL's engine cache";
        try {
            Engine engine = Engine.getEngine("PyTorch");
            int gpus = engine.getGpuCount();
            // PYTORCH_LIBRARY_PATH overrides both builds' natives: say which libtorch actually loaded.
            String libtorch = ai.djl.pytorch.jni.LibUtils.getLibtorchPath();
            String from = System.getenv("PYTORCH_LIBRARY_PATH") != null
                    ? "libtorch from PYTORCH_LIBRARY_PATH (" + libtorch + "; its JNI must be built for it, docs/gpu.md)"
                    : natives + " (" + libtorch + ")";
            out.add(Check.ok("djl", "PyTorch engine " + engine.getVersion() + " (DJL " + Engine.getDjlVersion()
                    + "), " + from + ", default device " + engine.defaultDevice()));
            out.add(gpus > 0 ? Check.ok("gpus", gpus + " visible to DJL (CUDA_VISIBLE_DEVICES="
                    + System.getenv("CUDA_VISIBLE_DEVICES") + "); run/worker start one process per GPU")
                    : Check.warn("gpus", "none visible to DJL: workers train on the CPU (--cpu-workers N)"));
        } catch (RuntimeException | LinkageError e) {
            out.add(Check.fail("djl", "the PyTorch engine does not load (" + natives + "): " + e.getMessage()));
        }
        try {
            GpuNatives.requireFor("gpu(0)");
        } catch (GpuNatives.MissingNativesException e) {
            out.add(Check.warn("cuda natives", e.getMessage().lines().findFirst().orElse("")
                    + " (see docs/gpu.md; fine on CPU-only nodes)"));
        }
        return out;
    }

    static Check onnxRuntime() {
        try {
            var providers = OrtEnvironment.getAvailableProviders();
            boolean cuda = providers.stream().anyMatch(p -> p.name().contains("CUDA"));
            if (!cuda) {
                return Check.warn("onnx runtime", "providers " + providers + "; validation runs on the CPU (CPU build)");
            }
            // listed is not loadable: the CUDA EP needs the driver, CUDA 12 and cuDNN 9 libraries at run time
            try (var options = new ai.onnxruntime.OrtSession.SessionOptions()) {
                options.addCUDA(0);
                return Check.ok("onnx runtime", "providers " + providers + "; the CUDA EP loads");
            } catch (ai.onnxruntime.OrtException e) {
                return Check.warn("onnx runtime", "providers " + providers + ", but the CUDA EP does not load ("
                        + e.getMessage() + "); validation runs on the CPU");
            }
        } catch (RuntimeException | LinkageError e) {
            return Check.fail("onnx runtime", "does not load: " + e.getMessage());
        }
    }

    /** The data folders the shipped sweeps expect, with the files each format needs. */
    static List<Check> data(Path root) {
        List<Check> out = new ArrayList<>();
        out.add(files("mnist", root.resolve("mnist"), List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"), "./scripts/get-mnist.sh or bitsweep download mnist"));
        out.add(files("cifar10", root.resolve("cifar10"), List.of("data_batch_1.bin", "data_batch_5.bin",
                "test_batch.bin"), "bitsweep download cifar10"));
        Path imagenet = root.resolve("imagenet");
        boolean hasImagenet = Files.isDirectory(imagenet.resolve("train")) && Files.isDirectory(imagenet.resolve("val"));
        out.add(hasImagenet ? Check.ok("data imagenet", imagenet + ": train/ and val/ present")
                : Check.warn("data imagenet", imagenet + ": no train/ and val/ (point --data-dir at an ILSVRC-2012 "
                        + "folder)"));
        return out;
    }

    private static Check files(String name, Path dir, List<String> needed, String howToGet) {
        List<String> missing = new ArrayList<>();
        for (String f : needed) {
            if (!Files.isRegularFile(dir.resolve(f)) && !Files.isRegularFile(dir.resolve(f + ".gz"))) {
                missing.add(f);
            }
        }
        return missing.isEmpty() ? Check.ok("data " + name, dir + ": " + needed.size() + " files present")
                : Check.warn("data " + name, dir + ": missing " + String.join(", ", missing) + " (" + howToGet + ")");
    }

    /** Whether the cluster port can be bound here (something else may hold it: another orchestrator). */
    static Check port(HostPort bind) {
        return bindable("cluster port", bind.toString(), bind.host(), bind.port(), "",
                "another node may be running here, or choose another --bind");
    }

    /**
     * The dashboard and API address ({@code --http}): what the orchestrator would refuse (a bad address, a
     * non-loopback bind without a bearer token, a short token) fails; a port held by something else warns.
     */
    static Check http(String hostPort, Map<String, String> env) {
        ApiBinding binding;
        try {
            binding = ApiBinding.parse(hostPort, env);
        } catch (IllegalArgumentException e) {
            return Check.fail("http", e.getMessage());
        }
        String token = binding.token() == null ? "loopback, no token needed" : "bearer token set";
        return bindable("http", hostPort, binding.host(), binding.port(), " (" + token + ")",
                "another orchestrator's dashboard may be running here, or choose another --http");
    }

    /** Ok when {@code host:port} can be bound now, else a warning with {@code hint}. */
    private static Check bindable(String area, String address, String host, int port, String freeNote,
                                  String hint) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName(host))) {
            return Check.ok(area, address + " is free" + freeNote);
        } catch (IOException e) {
            return Check.warn(area, address + " cannot be bound (" + e.getMessage() + "); " + hint);
        }
    }

    /** TLS material named by the cluster configuration, if any, must be readable. */
    static Check tls() {
        Config tls = ClusterConfig.node().build().getConfig("bitsweep.tls");
        if (!tls.hasPath("enabled") || !tls.getBoolean("enabled")) {
            return Check.warn("tls", "off: fine on one machine (loopback); see docs/cluster.md before binding other "
                    + "addresses");
        }
        List<String> unreadable = new ArrayList<>();
        for (String key : List.of("key-store", "trust-store")) {
            String file = tls.hasPath(key) ? tls.getString(key) : "";
            if (file.isEmpty() || !Files.isReadable(Path.of(file))) {
                unreadable.add(key + " '" + file + "'");
            }
        }
        return unreadable.isEmpty() ? Check.ok("tls", "on; key store and trust store readable")
                : Check.fail("tls", "on, but not readable: " + String.join(", ", unreadable));
    }
}
