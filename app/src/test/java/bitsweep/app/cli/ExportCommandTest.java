package bitsweep.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.app.cli.ExportCommand;
import bitsweep.artifact.ArtifactIO;
import bitsweep.artifact.FixedGateArtifact;
import bitsweep.data.Datasets;
import bitsweep.export.ArtifactFixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ExportCommandTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Cli.commandLine(new ExportCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void exportsAnArtifactFileAndPrintsTheSummary(@TempDir Path dir) throws Exception {
        Path artifact = dir.resolve("trial.bbfg");
        ArtifactIO.write(ArtifactFixtures.lenet5(1), artifact);
        Path out = dir.resolve("model.onnx");
        Run r = run(artifact.toString(), "--out", out.toString(), "--opset", "13");
        assertEquals(0, r.exit(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(13, json.get("export").get("opset").asInt());
        assertEquals(Files.size(out), json.get("export").get("bytes").asLong());
        assertTrue(json.get("export").get("removedChannels").asInt() > 0);

        Path fp32 = dir.resolve("fp32.onnx");
        assertEquals(0, run(artifact.toString(), "--out", fp32.toString(), "--fp32").exit());
        assertTrue(Files.size(fp32) > Files.size(out));
    }

    @Test
    void missingArtifactGivesAClearError(@TempDir Path dir) {
        Run r = run(dir.resolve("nope.bbfg").toString(), "--out", dir.resolve("m.onnx").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("nope.bbfg") && r.err().contains("not found"), r.err());
        assertTrue(Files.notExists(dir.resolve("m.onnx")));
    }

    @Test
    void corruptedArtifactGivesAClearError(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.bbfg");
        Files.writeString(bad, "this is not a zip file");
        Run r = run(bad.toString(), "--out", dir.resolve("m.onnx").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("bad.bbfg") && r.err().contains("not a BitSweep fixed-gate artifact"), r.err());

        // A valid zip whose tensor was truncated.
        Path good = dir.resolve("good.bbfg");
        ArtifactIO.write(ArtifactFixtures.lenet5(1), good);
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = dir.resolve("truncated.bbfg");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        r = run(truncated.toString(), "--out", dir.resolve("m.onnx").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("truncated.bbfg"), r.err());
    }

    @Test
    void validateNeedsADataDirAndOpsetMustBeKnown(@TempDir Path dir) throws Exception {
        Path artifact = dir.resolve("trial.bbfg");
        ArtifactIO.write(ArtifactFixtures.lenet5(1), artifact);
        Run r = run(artifact.toString(), "--out", dir.resolve("m.onnx").toString(), "--validate");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--data-dir"), r.err());
        r = run(artifact.toString(), "--out", dir.resolve("m.onnx").toString(), "--opset", "17");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("21 or 13"), r.err());
    }

    /** Export + validation on the real MNIST test set (runs once the data module can open MNIST). */
    @Test
    void exportValidatesOnTheRealMnistTestSet(@TempDir Path dir) throws Exception {
        Path mnist = Path.of(System.getProperty("bitsweep.repoRoot", "."), "data", "mnist");
        assertTrue(Files.isDirectory(mnist), "MNIST not downloaded (run scripts/get-mnist.sh; the README test command does)");
        FixedGateArtifact a = ArtifactFixtures.lenet5(2);
        Path artifact = dir.resolve("trial.bbfg");
        ArtifactIO.write(a, artifact);
        Run r = run(artifact.toString(), "--out", dir.resolve("m.onnx").toString(), "--validate", "--data-dir",
                mnist.toString(), "--limit", "1000");
        JsonNode v = new ObjectMapper().readTree(r.out()).get("validation");
        assertEquals("pass", v.get("status").asText(), r.out());
        assertEquals(1000, v.get("examples").asInt());
        assertEquals(0, r.exit());
    }
}
