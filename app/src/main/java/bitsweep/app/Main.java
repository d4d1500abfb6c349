package bitsweep.app;

import bitsweep.app.bench.BenchSchedulerCommand;
import bitsweep.app.cli.BenchCommand;
import bitsweep.app.cli.CancelCommand;
import bitsweep.app.cli.CertsCommand;
import bitsweep.app.cli.Cli;
import bitsweep.app.cli.DownloadCommand;
import bitsweep.app.cli.ExportCommand;
import bitsweep.app.cli.ExtendCommand;
import bitsweep.app.cli.NativesCommand;
import bitsweep.app.cli.OrchestratorCommand;
import bitsweep.app.cli.ReportCommand;
import bitsweep.app.cli.StatusCommand;
import bitsweep.app.cli.TrainCommand;
import bitsweep.app.cli.ValidateCommand;
import bitsweep.app.cli.WorkerCommand;
import bitsweep.app.doctor.DoctorCommand;
import bitsweep.app.local.RunCommand;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** Entry point of the {@code bitsweep} launcher: every subcommand is listed here ({@link #subcommands()}). */
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
        subcommands().forEach(cli::addSubcommand);
        // after the subcommands: the settings apply to the hierarchy as it is now
        return Cli.configure(cli);
    }

    /** The subcommands, alphabetical by name. */
    public static List<Callable<Integer>> subcommands() {
        return List.of(new BenchCommand(), new BenchSchedulerCommand(), new CancelCommand(), new CertsCommand(),
                new DoctorCommand(), new DownloadCommand(), new ExportCommand(), new ExtendCommand(),
                new NativesCommand(), new OrchestratorCommand(), new ReportCommand(), new RunCommand(),
                new StatusCommand(), new TrainCommand(), new ValidateCommand(), new WorkerCommand());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
