package bitsweep.app.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The small MNIST grid sweep file the multi-JVM command-line tests hand to {@code bitsweep orchestrator/run}. */
public final class SmallSweepFile {
    private SmallSweepFile() {
    }

    /** Writes {@code DIR/NAME.yaml}: 2 epochs, one trial per MU value, seed 0, data in data/mnist. */
    public static Path write(Path dir, String name, double... mus) throws IOException {
        String values = Arrays.stream(mus).mapToObj(Double::toString).collect(Collectors.joining(", "));
        return Files.writeString(dir.resolve(name + ".yaml"), """
                name: %s
                experiment: mnist
                data-dir: data/mnist
                base:
                  epochs: 2
                method: grid
                parameters:
                  gating-lambda:
                    values: [%s]
                seeds: [0]
                """.formatted(name, values));
    }
}
