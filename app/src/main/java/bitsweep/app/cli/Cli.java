package bitsweep.app.cli;

import picocli.CommandLine;

/**
 * The launcher's picocli settings in one place: {@code bitsweep.app.Main} applies them to the whole
 * command tree, and tests build single commands with {@link #commandLine} so that they parse and report
 * errors exactly as the launcher does.
 */
public final class Cli {

    private Cli() {
    }

    /** {@code command} (a {@code @Command} object) set up as the launcher runs it. */
    public static CommandLine commandLine(Object command) {
        return configure(new CommandLine(command));
    }

    /**
     * Applies the launcher's settings to {@code cli} and the subcommands it has now (so call it after adding
     * them): errors reported by {@link CliErrors}; as argparse does for the reference's command lines, a flag
     * given twice takes its last value, so a pasted paper command can be followed by e.g. {@code --epochs 1}.
     */
    public static CommandLine configure(CommandLine cli) {
        CliErrors errors = new CliErrors();
        return cli.setOverwrittenOptionsAllowed(true)
                .setExecutionExceptionHandler(errors)
                .setExitCodeExceptionMapper(errors);
    }
}
