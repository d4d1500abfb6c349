package bitsweep.app.cli;

import bitsweep.sweep.SweepFileException;
import bitsweep.trial.InvalidTrialConfigException;
import bitsweep.trial.TrialCancelledException;
import bitsweep.trial.TrialFailedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IExitCodeGenerator;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * How every {@code bitsweep} command reports what its {@code call()} threw: the reason on stderr, once and
 * without a stack trace ({@code bitsweep <command>: <reason>}), and an exit code by kind. Commands throw;
 * only catches that add context or clean up stay in them. An exception of no kind listed here is a bug:
 * picocli prints its stack trace and the exit code is 1.
 *
 * <ul>
 *   <li>{@value #BAD_INPUT}: bad input — {@link IllegalArgumentException}, {@link IllegalStateException} (a
 *       refused setting, missing natives or TLS material), an invalid trial configuration (one line per flag),
 *       a sweep file with problems (its message as is: it names file:line:column), a bad command line;</li>
 *   <li>{@value #FAILED}: the work failed — {@link IOException}, {@link TrialFailedException};</li>
 *   <li>{@value #CANCELLED}: {@link TrialCancelledException}, as a shell reports Ctrl-C;</li>
 *   <li>an exception that is an {@link IExitCodeGenerator} chooses its own code.</li>
 * </ul>
 */
public final class CliErrors implements IExecutionExceptionHandler, IExitCodeExceptionMapper {
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;
    public static final int CANCELLED = 130;

    /** The launcher's command name ({@code bitsweep.app.Main}). */
    private static final String LAUNCHER = "bitsweep";

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) throws Exception {
        List<String> lines = messages(e, name(command));
        if (lines == null) {
            throw e; // not a kind we report: picocli prints the stack trace
        }
        PrintWriter err = command.getErr();
        lines.forEach(err::println);
        err.flush();
        return getExitCode(e);
    }

    @Override
    public int getExitCode(Throwable e) {
        if (e instanceof IExitCodeGenerator own) {
            return own.getExitCode();
        }
        if (e instanceof ParameterException || e instanceof SweepFileException
                || e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
            return BAD_INPUT;
        }
        if (e instanceof TrialCancelledException) {
            return CANCELLED;
        }
        return FAILED; // IOException, TrialFailedException, and bugs
    }

    /** The stderr lines for {@code e}, or null when it is of no kind reported here. */
    private static List<String> messages(Exception e, String command) {
        if (e instanceof SweepFileException) {
            return List.of(e.getMessage()); // already names file:line:column
        }
        if (e instanceof InvalidTrialConfigException invalid) {
            return invalid.problems().stream().map(p -> command + ": --" + p).toList(); // each names its flag
        }
        if (e instanceof IExitCodeGenerator || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException || e instanceof IOException
                || e instanceof TrialFailedException || e instanceof TrialCancelledException) {
            return List.of(command + ": " + e.getMessage());
        }
        return null;
    }

    /**
     * {@code bitsweep train}, {@code bitsweep certs init}: under the launcher the path already starts with its
     * name; a command run on its own (tests) gets it put in front.
     */
    private static String name(CommandLine command) {
        String path = command.getCommandSpec().qualifiedName(" ");
        return path.equals(LAUNCHER) || path.startsWith(LAUNCHER + " ") ? path : LAUNCHER + " " + path;
    }
}
