package bitsweep.natives;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Where DJL 0.36's PyTorch engine looks for its natives (read from {@code ai.djl.pytorch.jni.LibUtils}):
 * {@code <engine cache>/pytorch/<pytorch version>-<flavor>-<classifier>/} must hold {@code libtorch.so}
 * (DJL's "already downloaded" test) and the JNI library {@code <djl version>-libdjl_torch.so}; the engine
 * cache is {@code $ENGINE_CACHE_DIR}, else {@code $DJL_CACHE_DIR}, else {@code ~/.djl.ai}. For CUDA flavors
 * DJL also reads the index {@code <pytorch version>.txt} to map the driver's CUDA version to a flavor.
 */
public record NativesLayout(String pytorchVersion, String djlVersion, String classifier) {

    static final String JNI_NAME = System.mapLibraryName("djl_torch");
    private static final List<String> CPU_LIBS = List.of("libtorch.so", "libtorch_cpu.so", "libc10.so");
    /** DJL loads these by name for CUDA flavors (its deferred list); the rest of a flavor varies by build. */
    private static final List<String> CUDA_LIBS = List.of("libtorch_cuda.so", "libc10_cuda.so");

    /** The versions of the DJL PyTorch engine on the class path, for this OS and CPU architecture. */
    public static NativesLayout current() {
        Properties engine = resource("pytorch-engine.properties");
        if (engine == null) {
            throw new IllegalStateException("DJL's pytorch-engine.properties is not on the class path");
        }
        return new NativesLayout(engine.getProperty("pytorch_version"), engine.getProperty("djl_version"),
                platformClassifier());
    }

    static String platformClassifier() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String prefix = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "osx" : os.startsWith("win") ? "win" : os;
        String arch = System.getProperty("os.arch");
        return prefix + "-" + ("amd64".equals(arch) ? "x86_64" : arch);
    }

    public static boolean isCuda(String flavor) {
        return flavor.startsWith("cu");
    }

    /** The folder DJL uses for {@code flavor} when its engine cache is {@code root}. */
    public Path flavorDir(Path root, String flavor) {
        return root.resolve("pytorch").resolve(pytorchVersion + "-" + flavor + "-" + classifier);
    }

    /** DJL's list of published files, needed offline when the flavor is not pinned with PYTORCH_FLAVOR. */
    public Path indexFile(Path root) {
        return root.resolve("pytorch").resolve(pytorchVersion + ".txt");
    }

    public String jniFileName() {
        return djlVersion + "-" + JNI_NAME;
    }

    /** Files that must be in {@link #flavorDir} for DJL to load {@code flavor} without the network. */
    public List<String> requiredLibraries(String flavor) {
        List<String> files = new ArrayList<>(CPU_LIBS);
        if (isCuda(flavor)) {
            files.addAll(CUDA_LIBS);
        }
        files.add(jniFileName());
        return files;
    }

    /** Class-path resource of DJL's JNI library for {@code flavor} (pytorch-jni jar); only those flavors load. */
    public String jniResource(String flavor) {
        return "jnilib/" + classifier + "/" + flavor + "/" + JNI_NAME;
    }

    public boolean hasJniFor(String flavor) {
        return Thread.currentThread().getContextClassLoader().getResource(jniResource(flavor)) != null;
    }

    /** Flavors this DJL/PyTorch pair can load on this platform (the pytorch-jni jar has their JNI). */
    public List<String> loadableFlavors() {
        List<String> out = new ArrayList<>();
        for (String f : List.of("cpu", "cu118", "cu121", "cu124", "cu126", "cu128", "cu129", "cu130")) {
            if (hasJniFor(f)) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * DJL's native-library jar ({@code pytorch-native-cpu}, default build) when it is on the class path,
     * else null: then DJL resolves natives from its cache or the network (CUDA build).
     */
    public static Properties bundledNatives() {
        Properties p = resource("native/lib/pytorch.properties");
        return p == null || p.getProperty("placeholder") != null ? null : p;
    }

    static Properties resource(String name) {
        URL url = Thread.currentThread().getContextClassLoader().getResource(name);
        if (url == null) {
            return null;
        }
        try (InputStream in = url.openStream()) {
            Properties p = new Properties();
            p.load(in);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + url, e);
        }
    }
}
