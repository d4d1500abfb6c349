package bitsweep.natives;

import ai.djl.util.Utils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fails fast, before DJL loads anything, when a GPU is asked for but an offline CUDA build has no CUDA
 * natives in DJL's engine cache: DJL itself would fail later with "Offline mode is enabled" deep in a
 * trial. Call {@link #requireFor(String)} where a worker resolves its device name.
 */
public final class GpuNatives {
    private static final Logger LOG = LoggerFactory.getLogger(GpuNatives.class);
    private static final Pattern GPU = Pattern.compile("\\s*gpu.*", Pattern.CASE_INSENSITIVE);

    private final NativesLayout layout;
    private final UnaryOperator<String> settings;
    private final boolean bundled;
    private final Path engineCache;
    private final boolean offline;

    GpuNatives(NativesLayout layout, UnaryOperator<String> settings, boolean bundled, Path engineCache,
               boolean offline) {
        this.offline = offline;
        this.layout = layout;
        this.settings = settings;
        this.bundled = bundled;
        this.engineCache = engineCache;
    }

    /**
     * @param device a DJL device name ({@code gpu(0)}, {@code cpu()}, {@code auto}); only GPUs are checked
     * @throws MissingNativesException with {@link NativesReport#errorMessage()} when natives are missing
     */
    public static void requireFor(String device) {
        if (device == null || !GPU.matcher(device).matches()) {
            return;
        }
        // DJL's own rule for the cache: ENGINE_CACHE_DIR, else DJL_CACHE_DIR, else ~/.djl.ai.
        new GpuNatives(NativesLayout.current(), Utils::getEnvOrSystemProperty, NativesLayout.bundledNatives() != null,
                Utils.getEngineCacheDir(), Utils.isOfflineMode()).check();
    }

    void check() {
        if (bundled) {
            return; // CPU build: DJL sees no GPU and Devices says so.
        }
        if (settings.apply("PYTORCH_LIBRARY_PATH") != null) {
            return; // the user's own libtorch, outside DJL's cache.
        }
        if (!offline) {
            return; // DJL may still download.
        }
        Path root = engineCache;
        String pinned = settings.apply("PYTORCH_FLAVOR");
        List<String> candidates = pinned != null ? List.of(pinned) : cudaFlavorsIn(root);
        NativesReport first = null;
        for (String flavor : candidates) {
            NativesReport r = NativesCheck.check(layout, root, flavor);
            if (r.complete()) {
                LOG.debug("PyTorch {} natives present in {}", flavor, r.dir());
                return;
            }
            first = first == null ? r : first;
        }
        if (first == null) {
            String flavor = layout.loadableFlavors().stream().filter(NativesLayout::isCuda).findFirst().orElse("cu128");
            first = NativesCheck.check(layout, root, flavor);
        }
        throw new MissingNativesException(first.errorMessage());
    }

    private List<String> cudaFlavorsIn(Path root) {
        String prefix = layout.pytorchVersion() + "-cu";
        String suffix = "-" + layout.classifier();
        try (Stream<Path> dirs = Files.list(root.resolve("pytorch"))) {
            return dirs.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(prefix) && n.endsWith(suffix))
                    .map(n -> n.substring(layout.pytorchVersion().length() + 1, n.length() - suffix.length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** A GPU was requested but its natives are not where an offline DJL will look. */
    public static final class MissingNativesException extends IllegalStateException {
        public MissingNativesException(String message) {
            super(message);
        }
    }
}
