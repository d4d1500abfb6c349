package bitsweep.app.cli;

import bitsweep.app.cli.TrainCommand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.trial.TrialConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TrainCommandTest {

    @Test
    void referenceFlagsMapOntoTheTrialConfig() throws Exception {
        TrainCommand cmd = new TrainCommand();
        Cli.commandLine(cmd).parseArgs("--experiment", "mnist", "--model", "lenet5quantized", "--method",
                "bayesian_bits", "--gating-method", "l0", "--gamma-4-init", "6", "--gamma-8-init", "6",
                "--gamma-16-init", "-6", "--gamma-32-init", "-6", "--gating-lambda", "0.1", "--learning-rate", "1e-3",
                "--learning-rate-q", "1e-3", "--learning-rate-s", "1e-3", "--optimizer", "adam", "--optimizer-q", "adam",
                "--optimizer-s", "adam", "--batch-size", "128", "--epochs", "100", "--eval-every", "1",
                "--learned-scale", "range", "--include-pruning", "--reg-type", "bop", "--lr-schedule", "linear",
                "--seed", "5", "--limit-train", "1000", "--checkpoint-every", "2");
        TrialConfig c = cmd.config().resolved();
        assertEquals(0.1, c.gatingLambda());
        assertEquals(-6.0, c.gamma16Init());
        assertEquals(true, c.includePruning());
        assertEquals(100, c.epochs());
        assertEquals(5L, c.seed());
        assertEquals(1000, c.limitTrain());
        assertEquals(2, c.checkpointEvery());
        assertNull(c.limitTest());
    }

    @Test
    void quantizationOnlyIsIncludePruningFalse() throws Exception {
        TrainCommand cmd = new TrainCommand();
        Cli.commandLine(cmd).parseArgs("--experiment", "cifar10", "--include-pruning=false");
        assertEquals(false, cmd.config().resolved().includePruning());
    }

    @Test
    void bopExactAndGateSamplesAreFlags() throws Exception {
        TrainCommand cmd = new TrainCommand();
        Cli.commandLine(cmd).parseArgs("--experiment", "mnist", "--reg-type", "bop-exact", "--gate-samples", "4");
        TrialConfig c = cmd.config().resolved();
        assertEquals("bop-exact", c.regType());
        assertEquals(4, c.gateSamples());
        TrainCommand plain = new TrainCommand();
        Cli.commandLine(plain).parseArgs("--experiment", "mnist");
        assertEquals(1, plain.config().resolved().gateSamples());
        assertEquals("bop", plain.config().resolved().regType());
    }

    @Test
    void badGateSamplesAreReportedByName() {
        StringWriter err = new StringWriter();
        CommandLine cli = Cli.commandLine(new TrainCommand());
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("--experiment", "mnist", "--gate-samples", "0"));
        assertTrue(err.toString().contains("--gate-samples: expected an integer >= 1, got 0"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, cli.execute("--experiment", "mnist", "--batch-size", "8", "--gate-samples", "16"));
        assertTrue(err.toString().contains("--gate-samples: expected at most batch-size (8)"), err.toString());
    }

    @Test
    void badFlagValuesAreReportedByNameWithExitCode2() {
        StringWriter err = new StringWriter();
        CommandLine cli = Cli.commandLine(new TrainCommand());
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("--experiment", "mnist", "--reg-type", "bops", "--epochs", "0");
        assertEquals(2, code);
        assertTrue(err.toString().contains("--reg-type: expected one of bop, const, bop-exact, got 'bops'"), err.toString());
        assertTrue(err.toString().contains("--epochs: expected an integer >= 1, got 0"), err.toString());
    }
}
