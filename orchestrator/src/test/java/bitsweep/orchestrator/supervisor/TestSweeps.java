package bitsweep.orchestrator.supervisor;

import bitsweep.sweep.Sweep;
import bitsweep.sweep.TrialSpec;
import bitsweep.trial.TrialConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Sweeps built directly (no YAML parser involved). */
final class TestSweeps {
    private TestSweeps() {
    }

    static TrialConfig config(int epochs) {
        try {
            return new ObjectMapper().readValue("{\"experiment\":\"mnist\",\"epochs\":" + epochs
                    + ",\"checkpoint-every\":1}", TrialConfig.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Sweep sweep(String name, int trials, int maxAttempts) {
        List<TrialSpec> specs = new ArrayList<>();
        for (int i = 0; i < trials; i++) {
            specs.add(new TrialSpec("t" + i, name, i % 2 == 0 ? "pruning" : "no-pruning", Map.of("i", i), config(3)));
        }
        return new Sweep(name, Path.of(name + ".yaml"), "mnist", specs, maxAttempts, 0);
    }
}
