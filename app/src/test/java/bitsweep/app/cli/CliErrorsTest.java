package bitsweep.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.sweep.SweepFileException;
import bitsweep.trial.InvalidTrialConfigException;
import bitsweep.trial.TrialCancelledException;
import bitsweep.trial.TrialFailedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine;

class CliErrorsTest {
    /** A command that throws what it is given. */
    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        final Exception toThrow;

        Boom(Exception toThrow) {
            this.toThrow = toThrow;
        }

        @Override
        public Integer call() throws Exception {
            throw toThrow;
        }
    }

    @Command(name = "outer", subcommands = Inner.class)
    static final class Outer implements Runnable {
        @Override
        public void run() {
        }
    }

    @Command(name = "inner")
    static final class Inner implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalArgumentException("--dir: not a folder");
        }
    }

    /** Stands in for the launcher: its subcommands are named below it. */
    @Command(name = "bitsweep")
    static final class Launcher implements Runnable {
        @Override
        public void run() {
        }
    }

    record Run(int exit, String err) {
    }

    private static Run run(CommandLine cli, String... args) {
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        return new Run(cli.execute(args), err.toString());
    }

    private static Run run(Exception e) {
        return run(Cli.commandLine(new Boom(e)));
    }

    private static String lines(String... lines) {
        return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

    @Test
    void badInputExits2WithOneLineNamingTheCommand() {
        assertEquals(new Run(2, lines("bitsweep boom: --bind: expected HOST:PORT")),
                run(new IllegalArgumentException("--bind: expected HOST:PORT")));
        assertEquals(new Run(2, lines("bitsweep boom: no TLS material")), run(new IllegalStateException("no TLS material")));
    }

    @Test
    void failedWorkExits1() {
        assertEquals(new Run(1, lines("bitsweep boom: disk full")), run(new IOException("disk full")));
        assertEquals(new Run(1, lines("bitsweep boom: trial t0 diverged")), run(new TrialFailedException("trial t0 diverged")));
    }

    @Test
    void aCancelledTrialExits130AsCtrlCDoes() {
        Run r = run(new TrialCancelledException("t0"));
        assertEquals(130, r.exit());
        assertTrue(r.err().startsWith("bitsweep boom: "), r.err());
    }

    @Test
    void anInvalidTrialConfigListsEachFlagOnItsOwnLine() {
        assertEquals(new Run(2, lines("bitsweep boom: --epochs: expected an integer >= 1, got 0",
                "bitsweep boom: --reg-type: expected one of bop, const, bop-exact, got 'bops'")),
                run(new InvalidTrialConfigException(List.of("epochs: expected an integer >= 1, got 0",
                        "reg-type: expected one of bop, const, bop-exact, got 'bops'"))));
    }

    @Test
    void sweepFileProblemsArePrintedAsTheyAreSinceTheyNameFileLineAndColumn() {
        assertEquals(new Run(2, lines("s.yaml:3:5: seeds: expected a list", "s.yaml:7:1: unknown key 'sede'")),
                run(new SweepFileException(List.of("s.yaml:3:5: seeds: expected a list",
                        "s.yaml:7:1: unknown key 'sede'"))));
    }

    @Test
    void anExceptionThatChoosesItsExitCodeGetsIt() {
        Run r = run(new OrchestratorCommand.RemovedFromClusterException());
        assertEquals(OrchestratorCommand.EXIT_REMOVED, r.exit());
        assertTrue(r.err().startsWith("bitsweep boom: this orchestrator was removed from the cluster"), r.err());
    }

    @Test
    void aBugKeepsItsStackTraceAndExits1() {
        Run r = run(new NullPointerException("model was null"));
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("java.lang.NullPointerException: model was null"), r.err());
        assertTrue(r.err().contains("\tat "), r.err());
    }

    @Test
    void aBadCommandLineExits2WithUsage() {
        Run r = run(Cli.commandLine(new Boom(new IOException("not reached"))), "--no-such-option");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("Unknown option: '--no-such-option'"), r.err());
        assertTrue(r.err().contains("Usage: boom"), r.err());
    }

    @Test
    void aSubcommandIsNamedByItsPath() {
        assertEquals(new Run(2, lines("bitsweep outer inner: --dir: not a folder")),
                run(Cli.commandLine(new Outer()), "inner"));
    }

    @Test
    void underTheLauncherTheCommandIsNamedOnce() {
        CommandLine launcher = new CommandLine(new Launcher()).addSubcommand(new Boom(new IOException("disk full")));
        assertEquals(new Run(1, lines("bitsweep boom: disk full")), run(Cli.configure(launcher), "boom"));
    }
}
