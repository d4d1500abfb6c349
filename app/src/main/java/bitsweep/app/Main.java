package bitsweep.app;

import bitsweep.cli.Subcommand;
import java.util.Comparator;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code bitsweep} launcher: collects every module's subcommands. */
@Command(name = "bitsweep", mixinStandardHelpOptions = true, version = "bitsweep 0.1.0",
        description = "Bayesian Bits mixed-precision quantization and pruning sweeps.")
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        ServiceLoader.load(Subcommand.class).stream()
                .map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparing(c -> c.getClass().getAnnotation(Command.class).name()))
                .forEach(cli::addSubcommand);
        // As argparse does for the reference's command lines: a flag given twice takes its last value, so a
        // pasted paper command can be followed by e.g. --epochs 1. (Set after the subcommands: it applies
        // to the hierarchy as it is now.)
        cli.setOverwrittenOptionsAllowed(true);
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
