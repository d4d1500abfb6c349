package bitsweep.natives;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Checks, offline, that a staged folder holds what DJL needs to load one flavor of PyTorch natives. */
public final class NativesCheck {
    private NativesCheck() {
    }

    public static NativesReport check(NativesLayout layout, Path root, String flavor) {
        Path abs = root.toAbsolutePath().normalize();
        Path dir = layout.flavorDir(abs, flavor);
        Path base = abs.resolve("pytorch");
        List<String> expected = new ArrayList<>();
        for (String f : layout.requiredLibraries(flavor)) {
            expected.add(base.relativize(dir.resolve(f)).toString());
        }
        if (NativesLayout.isCuda(flavor)) {
            expected.add(base.relativize(layout.indexFile(abs)).toString());
        }
        List<String> missing = new ArrayList<>();
        for (String f : expected) {
            if (!Files.isRegularFile(base.resolve(f))) {
                missing.add("pytorch/" + f);
            }
        }
        return new NativesReport(layout, flavor, abs, dir, expected.stream().map(f -> "pytorch/" + f).toList(),
                listing(dir), missing);
    }

    /** Every file in the flavor's folder (DJL loads all of them), for the "what is there" listing. */
    private static List<String> listing(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
