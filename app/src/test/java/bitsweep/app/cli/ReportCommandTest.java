package bitsweep.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.app.cli.ReportCommand;
import bitsweep.orchestrator.report.Fixtures;
import bitsweep.orchestrator.report.FrontierFiles;
import bitsweep.orchestrator.report.FrontierPlot;
import bitsweep.orchestrator.report.FrontierPlotTest;
import bitsweep.orchestrator.report.ReportHtml;
import bitsweep.orchestrator.report.TrialRecordsReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReportCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Cli.commandLine(new ReportCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void reportNoExportRegeneratesTheFilesAndPrintsTheFrontier() throws Exception {
        Fixtures.writeTrials(dir, FrontierPlotTest.twoVariantSweep());
        assertEquals(0, run(dir.toString(), "--no-export"), err.toString());
        for (String f : new String[] {FrontierFiles.CSV, FrontierFiles.JSON, FrontierPlot.PNG, FrontierPlot.SVG,
            ReportHtml.FILE_NAME}) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        String printed = out.toString();
        assertTrue(printed.contains("p-mu0.3"), printed);
        assertTrue(printed.contains("6 frontier model(s)"), printed);
    }

    @Test
    void badTrialsLineFailsWithFileAndLine() throws Exception {
        Files.writeString(dir.resolve(TrialRecordsReader.FILE_NAME), "not json\n");
        assertEquals(1, run(dir.toString(), "--no-export"));
        assertTrue(err.toString().contains(dir.resolve(TrialRecordsReader.FILE_NAME) + ":1: not a trial record"),
                err.toString());
    }

    @Test
    void unsupportedOpsetIsAUsageError() {
        assertEquals(2, run(dir.toString(), "--opset", "17"));
        assertTrue(err.toString().contains("--opset must be 21 or 13"), err.toString());
    }
}
