package bitsweep.natives;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills a folder with DJL's PyTorch natives for one flavor, in DJL's own cache layout, so that offline
 * nodes can point DJL at it ({@code ENGINE_CACHE_DIR}). CUDA flavors are downloaded by DJL itself
 * (needs internet and the CUDA build); the CPU flavor is copied from the bundled jar when there is one.
 */
public final class NativesStager {
    private static final Logger LOG = LoggerFactory.getLogger(NativesStager.class);
    /** Variables DJL reads from the environment before system properties: set, they would override ours. */
    static final List<String> OVERRIDING_ENV = List.of("ENGINE_CACHE_DIR", "PYTORCH_LIBRARY_PATH", "PYTORCH_FLAVOR",
            "PYTORCH_VERSION", "DJL_OFFLINE");

    /** Makes DJL put {@code flavor}'s natives into the engine cache {@code root} (the seam for tests). */
    @FunctionalInterface
    interface Downloader {
        void download(Path root, String flavor) throws IOException;
    }

    private final NativesLayout layout;
    private final Downloader downloader;
    private final Map<String, String> env;
    private final Properties bundled;

    public NativesStager() {
        this(NativesLayout.current(), NativesStager::downloadWithDjl, System.getenv(), NativesLayout.bundledNatives());
    }

    /** @param bundled the bundled natives' properties (default build), null in the CUDA build */
    NativesStager(NativesLayout layout, Downloader downloader, Map<String, String> env, Properties bundled) {
        this.layout = layout;
        this.downloader = downloader;
        this.env = env;
        this.bundled = bundled;
    }

    /** @return the check of the staged folder, complete */
    public NativesReport stage(Path root, String flavor) throws IOException {
        List<String> loadable = layout.loadableFlavors();
        if (!loadable.contains(flavor)) {
            throw new IllegalArgumentException("flavor " + flavor + " cannot be loaded by DJL " + layout.djlVersion()
                    + " with PyTorch " + layout.pytorchVersion() + " on " + layout.classifier()
                    + ": its pytorch-jni jar has JNI libraries for " + String.join(", ", loadable));
        }
        Path abs = root.toAbsolutePath().normalize();
        if (bundled != null && flavor.equals(bundled.getProperty("flavor"))) {
            copyBundled(bundled, layout.flavorDir(abs, flavor));
        } else if (bundled != null) {
            throw new IllegalStateException("staging " + flavor + " natives needs the CUDA build (mvn -Dcuda package): "
                    + "this build bundles DJL's " + bundled.getProperty("flavor") + " natives, so DJL never downloads");
        } else {
            requireNoOverridingEnv();
            downloader.download(abs, flavor);
        }
        copyJni(layout.flavorDir(abs, flavor), flavor);
        NativesReport report = NativesCheck.check(layout, abs, flavor);
        if (!report.complete()) {
            throw new IOException(report.errorMessage());
        }
        LOG.info("staged PyTorch {} natives ({}) in {}: {}", flavor, layout.pytorchVersion(), report.dir(),
                report.present());
        return report;
    }

    private void requireNoOverridingEnv() {
        List<String> set = new ArrayList<>();
        for (String name : OVERRIDING_ENV) {
            if (env.get(name) != null) {
                set.add(name + "=" + env.get(name));
            }
        }
        if (!set.isEmpty()) {
            throw new IllegalStateException("unset " + String.join(", ", set) + " before staging: DJL reads these "
                    + "before the settings that point it at the staging folder");
        }
    }

    /** DJL's own download into {@code root}: the same code path and layout as a first run with internet. */
    static void downloadWithDjl(Path root, String flavor) throws IOException {
        System.setProperty("ENGINE_CACHE_DIR", root.toString());
        System.setProperty("PYTORCH_FLAVOR", flavor);
        System.setProperty("ai.djl.offline", "false");
        LOG.info("DJL downloads PyTorch {} natives into {} (needs internet)…", flavor, root);
        try {
            ai.djl.pytorch.jni.LibUtils.loadLibrary();
        } catch (RuntimeException | LinkageError e) {
            // Loading CUDA libraries fails on a machine without driver or GPU, after the download: fine here.
            if (!Files.isRegularFile(NativesLayout.current().flavorDir(root, flavor).resolve("libtorch.so"))) {
                throw new IOException("DJL could not download the " + flavor + " natives into " + root + ": "
                        + causes(e), e);
            }
            LOG.info("natives downloaded; loading them on this machine failed, as expected without a usable GPU: {}",
                    causes(e));
        }
    }

    private static void copyBundled(Properties bundled, Path dir) throws IOException {
        String prefix = "pytorch/" + bundled.getProperty("flavor") + "/" + bundled.getProperty("classifier") + "/";
        Files.createDirectories(dir);
        for (String lib : bundled.getProperty("libraries", "").split(",")) {
            copyResource(prefix + lib.strip(), dir.resolve(lib.strip()));
        }
    }

    private void copyJni(Path dir, String flavor) throws IOException {
        Path target = dir.resolve(layout.jniFileName());
        if (!Files.isRegularFile(target) && Files.isDirectory(dir)) {
            copyResource(layout.jniResource(flavor), target);
        }
    }

    /** Copies via a temporary file so an interrupted copy never looks like a staged library. */
    private static void copyResource(String resource, Path target) throws IOException {
        if (Files.isRegularFile(target)) {
            return;
        }
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("class-path resource " + resource + " not found");
            }
            Path tmp = Files.createTempFile(target.getParent(), ".staging", ".tmp");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }

    static String causes(Throwable e) {
        StringBuilder s = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (s.length() > 0) {
                s.append(" ← ");
            }
            s.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return s.toString();
    }
}
