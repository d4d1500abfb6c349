package bitsweep.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.app.cli.TrainCommand;
import bitsweep.sweep.SweepParser;
import bitsweep.trial.TrialConfig;
import bitsweep.trial.TrialFlag;
import bitsweep.trial.TrialFlagDocs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.OptionSpec;
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

    @Test
    void trainOptionsAreBuiltFromTheFlagTable() {
        CommandLine cli = new CommandLine(new TrainCommand());
        for (TrialFlag f : TrialFlag.values()) {
            OptionSpec o = cli.getCommandSpec().findOption("--" + f.flagName());
            assertTrue(o != null, "no option --" + f.flagName());
            assertEquals(f.type(), o.type(), f.flagName());
            assertEquals(TrialFlagDocs.helpWithPresets(f), String.join(" ", o.description()), f.flagName());
            boolean bare = f.arity() == TrialFlag.Arity.ZERO_OR_ONE;
            assertEquals(bare ? "0..1" : "1", o.arity().toString(), f.flagName());
        }
        // the command's own options are the non-trial ones, plus --help and --version
        assertEquals(TrialFlag.values().length + 6 + 2, cli.getCommandSpec().options().size());
    }

    @Test
    void trainHelpListsEveryTrialFlagWithItsHelpText() {
        CommandLine cli = new CommandLine(new TrainCommand());
        cli.setUsageHelpWidth(10_000); // one line per option, so the help text can be found whole
        String usage = cli.getUsageMessage().replaceAll("\\s+", " ");
        for (TrialFlag f : TrialFlag.values()) {
            assertTrue(usage.contains("--" + f.flagName()), f.flagName());
            assertTrue(usage.contains(TrialFlagDocs.helpWithPresets(f)), f.flagName() + " in\n" + usage);
        }
    }

    @Test
    void theCommandLineAndASweepFileTurnTheSameFlagsIntoTheSameConfig() throws Exception {
        TrainCommand cmd = new TrainCommand();
        new CommandLine(cmd).parseArgs("--experiment=mnist", "--optimizer", "Adam", "--gating-lambda", "0.05",
                "--include-pruning=false", "--epochs", "3", "--seed", "2", "--reg-type", "BOP-exact");
        TrialConfig fromSweep = SweepParser.parse("""
                experiment: mnist
                method: grid
                base: {optimizer: Adam, gating-lambda: 0.05, include-pruning: false, epochs: 3, reg-type: BOP-exact}
                seeds: [2]
                """, Path.of("same.yaml"), Map.of()).trials().get(0).config();
        assertEquals(fromSweep, cmd.config().resolved());
    }

}
