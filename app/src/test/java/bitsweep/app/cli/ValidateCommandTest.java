package bitsweep.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.app.cli.ValidateCommand;
import bitsweep.sweep.ShippedSweepsTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ValidateCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Cli.commandLine(new ValidateCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void validSweepPrintsTheTrialTableAndSummary() {
        Path smoke = ShippedSweepsTest.sweepsDir().resolve("mnist-smoke.yaml");
        assertEquals(0, run(smoke.toString()), err.toString());
        String table = out.toString();
        assertTrue(table.lines().findFirst().orElseThrow().matches("#\\s+trial id\\s+variant\\s+seed\\s+gating-lambda\\s+epochs"),
                table);
        assertTrue(table.contains("mu0.05-pruning-s0-"), table);
        assertTrue(table.contains("no-pruning"), table);
        assertTrue(table.contains("sweep mnist-smoke (mnist): 8 trials (pruning 4, no-pruning 4)"), table);
        assertEquals("", err.toString());
    }

    @Test
    void invalidSweepExitsWithTwoAndListsEveryProblem(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "experiment: mnist\nmethod: grid\nbase:\n  epochs: -1\n  gating-lamda: 1\n");
        assertEquals(2, run(bad.toString()));
        String e = err.toString();
        assertTrue(e.contains(bad + ": 2 problems"), e);
        assertTrue(e.contains(bad + ":4:11: epochs: expected an integer >= 1, got -1"), e);
        assertTrue(e.contains(bad + ":5:3: base: unknown flag 'gating-lamda'"), e);
        assertEquals("", out.toString());
    }

    @Test
    void missingFileExitsWithTwo(@TempDir Path dir) {
        assertEquals(2, run(dir.resolve("nope.yaml").toString()));
        assertTrue(err.toString().contains("nope.yaml: no such file"), err.toString());
    }
}
