package bitsweep.sweep;

import java.io.IOException;
import java.nio.file.Path;

/** Reads a sweep YAML file; every problem is reported as file:line:column with the expected form. */
public final class SweepParser {
    private SweepParser() {
    }

    public static Sweep parse(Path file) throws IOException, SweepFileException {
        throw new UnsupportedOperationException("TODO(sweep helper): SweepParser.parse");
    }
}
