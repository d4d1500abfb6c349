package bitsweep.app.cli;

import bitsweep.sweep.Sweep;
import bitsweep.sweep.SweepFileException;
import bitsweep.sweep.SweepParser;
import bitsweep.sweep.TrialTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bitsweep validate FILE}: parses and expands a sweep file and prints its trial table; runs nothing. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a sweep file and print the trials it expands to, without running anything.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the file is valid", "2:the file has problems (listed as file:line:column: message)"})
public final class ValidateCommand implements Callable<Integer> {
    static final int INVALID = 2;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "the sweep file (YAML)")
    Path file;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Sweep sweep = SweepParser.parse(file);
            out.print(TrialTable.render(sweep));
            out.flush();
            return 0;
        } catch (SweepFileException e) {
            err.println(file + ": " + e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems"));
            e.problems().forEach(err::println);
        } catch (NoSuchFileException e) {
            err.println(file + ": no such file");
        } catch (IOException e) {
            err.println(file + ": cannot read: " + e.getMessage());
        }
        err.flush();
        return INVALID;
    }
}
