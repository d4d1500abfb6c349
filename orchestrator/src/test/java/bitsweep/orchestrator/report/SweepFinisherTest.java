package bitsweep.orchestrator.report;

import static bitsweep.orchestrator.report.Fixtures.completed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.export.ValidationResult;
import bitsweep.orchestrator.report.FrontierFiles;
import bitsweep.orchestrator.report.FrontierPlot;
import bitsweep.orchestrator.report.OnnxModelCheck;
import bitsweep.orchestrator.report.ReportHtml;
import bitsweep.orchestrator.report.SweepFinisher;
import bitsweep.orchestrator.report.SweepReport;
import bitsweep.orchestrator.report.TrialPoint;
import bitsweep.orchestrator.report.ValidationFile;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepFinisherTest {

    @TempDir
    Path dir;

    @Test
    void withoutExportWritesEveryReportFileAndKeepsEarlierValidationOfFrontierModels() throws Exception {
        Fixtures.writeTrials(dir, FrontierPlotTest.twoVariantSweep());
        ValidationResult earlier = new ValidationResult("p-mu0.1", "models/p-mu0.1.onnx", "CPU", 10000, 99.1, 99.1,
                1.0, 1e-6, 9_000, 250_000, ValidationResult.PASS, null);
        ValidationResult stale = new ValidationResult("p-mu0.1-s2", "models/p-mu0.1-s2.onnx", "CPU", 10000, 98.9,
                98.9, 1.0, 1e-6, 9_000, 250_000, ValidationResult.PASS, null);
        ValidationFile.write(dir, Fixtures.SWEEP, List.of(earlier, stale));
        String validationBefore = Files.readString(dir.resolve(ValidationFile.FILE_NAME));

        SweepReport report = new SweepFinisher(null).finish(dir);

        assertEquals(Fixtures.SWEEP, report.sweep());
        assertEquals("mnist", report.experiment());
        assertEquals(6, report.frontierSize());
        assertEquals(List.of("p-mu0.1"), List.copyOf(report.validations().keySet()),
                "only results of current frontier models are shown");
        assertEquals(validationBefore, Files.readString(dir.resolve(ValidationFile.FILE_NAME)),
                "--no-export leaves validation.json alone");
        assertTrue(Files.readString(dir.resolve(FrontierFiles.CSV)).contains(",models/p-mu0.1.onnx,pass"));
        assertNotNull(ImageIO.read(dir.resolve(FrontierPlot.PNG).toFile()));
        assertTrue(Files.size(dir.resolve(FrontierPlot.SVG)) > 0);
        String html = Files.readString(dir.resolve(ReportHtml.FILE_NAME));
        assertTrue(html.contains("<a href=\"models/p-mu0.1.onnx\">"));
    }

    @Test
    void exportFailuresAreRecordedPerModelAndTheReportIsStillWritten() throws Exception {
        List<TrialRecord> records = List.of(
                completed("missing", "v", 0.1, 1, 98.0, 0.3),
                completed("corrupt", "v", 0.01, 1, 99.0, 0.9),
                Fixtures.withStatus("failed", "v", 1.0, TrialStatus.FAILED, "diverged"));
        Fixtures.writeTrials(dir, records);
        Path corrupt = dir.resolve("trials/corrupt/model.bbfg");
        Files.createDirectories(corrupt.getParent());
        Files.writeString(corrupt, "this is not a zip");

        SweepReport report;
        try (OnnxModelCheck check = new OnnxModelCheck(21, 100, p -> dir.resolve("no-data"))) {
            report = new SweepFinisher(check).finish(dir);
        }

        ValidationResult missing = report.validations().get("missing");
        assertEquals(ValidationResult.ERROR, missing.status());
        assertTrue(missing.message().contains("fixed-gate artifact not found"), missing.message());
        ValidationResult bad = report.validations().get("corrupt");
        assertEquals(ValidationResult.ERROR, bad.status());
        assertTrue(bad.message().contains("not a BitSweep fixed-gate artifact"), bad.message());

        JsonNode doc = Fixtures.JSON.readTree(dir.resolve(ValidationFile.FILE_NAME).toFile());
        assertEquals(2, doc.get("models").asInt());
        assertEquals(2, doc.get("error").asInt());
        assertEquals("missing", doc.get("results").get(0).get("trialId").asText());
        List<String> csv = Files.readAllLines(dir.resolve(FrontierFiles.CSV));
        assertEquals(3, csv.size());
        assertTrue(csv.get(1).startsWith("missing,") && csv.get(1).endsWith(",,error"), csv.get(1));
        String html = Files.readString(dir.resolve(ReportHtml.FILE_NAME));
        assertTrue(html.contains("<td class=\"status error\">error</td>"));
    }

    @Test
    void artifactPathComesFromTheRecordOrTheDefaultTrialFolder() {
        TrialPoint withArtifact = TrialPoint.of(completed("t1", "v", 0.1, 1, 99.0, 0.3));
        assertEquals(dir.resolve("trials/t1/model.bbfg"), SweepFinisher.artifactPath(dir, withArtifact));
        TrialRecord r = completed("t2", "v", 0.1, 1, 99.0, 0.3);
        TrialPoint without = TrialPoint.of(new TrialRecord(r.spec(), r.status(), 1, null, r.result(), null));
        assertEquals(dir.resolve("trials").resolve("t2").resolve(SweepFinisher.DEFAULT_ARTIFACT),
                SweepFinisher.artifactPath(dir, without));
    }
}
