package bitsweep.orchestrator.report;

import static bitsweep.orchestrator.report.Fixtures.completed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.export.ValidationResult;
import bitsweep.orchestrator.report.FrontierFiles;
import bitsweep.orchestrator.report.ModelFiles;
import bitsweep.orchestrator.report.ParetoFrontier;
import bitsweep.orchestrator.report.SweepReport;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrontierFilesTest {

    @TempDir
    Path dir;

    private static SweepReport report(List<TrialRecord> records, Map<String, ValidationResult> validations) {
        return new SweepReport(Fixtures.SWEEP, "mnist", records, ParetoFrontier.of(records), validations);
    }

    private static ValidationResult pass(String id) {
        return new ValidationResult(id, ModelFiles.relativePath(id), "CPU", 10000, 99.0, 99.0, 1.0, 1e-6, 12_000,
                250_000, ValidationResult.PASS, null);
    }

    @Test
    void csvHasOneRowPerFrontierModelWithPerLayerBitsAndValidation() throws IOException {
        List<TrialRecord> records = List.of(
                completed("a", "pruning", 0.1, 1, 99.1, 0.4),
                completed("b", "pruning", 0.01, 1, 99.3, 0.9),
                completed("c", "pruning", 0.05, 1, 98.0, 1.0));
        FrontierFiles.write(dir, report(records, Map.of("a", pass("a"))));
        List<String> lines = Files.readAllLines(dir.resolve(FrontierFiles.CSV));
        assertEquals(String.join(",", FrontierFiles.CSV_HEADER), lines.get(0));
        assertEquals(3, lines.size());
        assertEquals("a,pruning,0.1,1,99.1,0.4,0.0094,conv1:4;conv2:4;fc1:2;fc2:8,conv1:8;conv2:8;fc1:4;fc2:4,"
                + "conv1:12/20;conv2:30/50;fc1:200/500;fc2:10/10,conv1:0.6000;conv2:0.6000;fc1:0.4000;fc2:1.0000,"
                + "models/a.onnx,pass", lines.get(1));
        assertTrue(lines.get(2).startsWith("b,pruning,0.01,1,99.3,0.9,"), lines.get(2));
        assertTrue(lines.get(2).endsWith(",," + SweepReport.NOT_VALIDATED), lines.get(2));
    }

    @Test
    void csvQuotesFieldsWithCommasQuotesAndNewlines() throws IOException {
        String variant = "lr=0.1, \"warm\"\nrestart";
        FrontierFiles.write(dir, report(List.of(completed("x", variant, 0.1, 1, 99.0, 0.4)), Map.of()));
        String csv = Files.readString(dir.resolve(FrontierFiles.CSV));
        assertTrue(csv.contains("x,\"lr=0.1, \"\"warm\"\"\nrestart\",0.1,"), csv);
        assertTrue(csv.endsWith("\r\n"));
    }

    @Test
    void jsonListsFrontierRowsAndDominatedIdsPerVariant() throws IOException {
        List<TrialRecord> records = List.of(
                completed("a", "pruning", 0.1, 1, 99.1, 0.4),
                completed("b", "pruning", 0.2, 2, 98.0, 0.5),
                completed("n", "no-pruning", 0.1, 1, 99.0, 1.1));
        FrontierFiles.write(dir, report(records, Map.of("a", pass("a"))));
        JsonNode doc = Fixtures.JSON.readTree(dir.resolve(FrontierFiles.JSON).toFile());
        assertEquals("mnist", doc.get("experiment").asText());
        assertEquals(3, doc.get("completedTrials").asInt());
        JsonNode pruning = doc.get("variants").get(1);
        assertEquals("pruning", pruning.get("variant").asText());
        JsonNode a = pruning.get("frontier").get(0);
        assertEquals("a", a.get("trialId").asText());
        assertEquals(0.1, a.get("mu").asDouble());
        assertEquals(1, a.get("seed").asLong());
        assertEquals(99.1, a.get("top1").asDouble());
        assertEquals(0.4, a.get("relativeBops").asDouble());
        assertEquals("models/a.onnx", a.get("model").asText());
        assertEquals("pass", a.get("validation").asText());
        assertEquals(0.6, a.get("layers").get(0).get("keptRatio").asDouble(), 1e-12);
        assertEquals(4, a.get("layers").get(0).get("weightBits").asInt());
        assertEquals("b", pruning.get("dominated").get(0).asText());
    }

    @Test
    void allFailedSweepStillWritesHeaderOnlyCsvAndEmptyJson() throws IOException {
        FrontierFiles.write(dir, report(List.of(
                Fixtures.withStatus("f", "v", 0.1, TrialStatus.FAILED, "boom")), Map.of()));
        assertEquals(List.of(String.join(",", FrontierFiles.CSV_HEADER)),
                Files.readAllLines(dir.resolve(FrontierFiles.CSV)));
        JsonNode doc = Fixtures.JSON.readTree(dir.resolve(FrontierFiles.JSON).toFile());
        assertEquals(0, doc.get("variants").size());
        assertEquals(0, doc.get("completedTrials").asInt());
    }
}
