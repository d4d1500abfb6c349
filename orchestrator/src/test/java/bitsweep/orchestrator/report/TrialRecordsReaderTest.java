package bitsweep.orchestrator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.orchestrator.report.TrialRecordsReader;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrialRecordsReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsRecordsWrittenByJacksonIncludingResultsAndBitTables() throws IOException {
        TrialRecord done = Fixtures.completed("t1", "pruning", 0.1, 1, 99.1, 0.42);
        TrialRecord failed = Fixtures.withStatus("t2", "pruning", 0.2, TrialStatus.FAILED, "diverged");
        Path file = Fixtures.writeTrials(dir, List.of(done, failed));
        List<TrialRecord> read = TrialRecordsReader.read(file);
        assertEquals(2, read.size());
        assertEquals(99.1, read.get(0).result().top1());
        assertEquals(4, read.get(0).result().bitTable().size());
        assertEquals(0.1, read.get(0).spec().config().gatingLambda());
        assertEquals("diverged", read.get(1).error());
    }

    @Test
    void badLineIsReportedWithFileAndLineNumber() throws IOException {
        Path file = Fixtures.writeTrials(dir, List.of(Fixtures.completed("t1", "v", 0.1, 1, 99.0, 0.4)));
        Files.writeString(file, Files.readString(file) + "\n{\"spec\": {\"trialId\": \"x\"}, \"status\": 7,\n");
        IOException e = assertThrows(IOException.class, () -> TrialRecordsReader.read(file));
        assertTrue(e.getMessage().startsWith(file + ":3: not a trial record"), e.getMessage());
    }

    @Test
    void completedRecordWithoutResultIsRejected() throws IOException {
        Path file = dir.resolve(TrialRecordsReader.FILE_NAME);
        Files.writeString(file, "{\"spec\":{\"trialId\":\"t1\"},\"status\":\"completed\",\"attempts\":1}\n");
        IOException e = assertThrows(IOException.class, () -> TrialRecordsReader.read(file));
        assertTrue(e.getMessage().contains(":1: trial t1 is completed but has no result"), e.getMessage());
    }

    @Test
    void laterLineForTheSameTrialReplacesTheEarlierOne() throws IOException {
        Path file = Fixtures.writeTrials(dir, List.of(
                Fixtures.withStatus("t1", "v", 0.1, TrialStatus.RUNNING, null),
                Fixtures.withStatus("t2", "v", 0.2, TrialStatus.QUEUED, null),
                Fixtures.completed("t1", "v", 0.1, 1, 98.0, 1.0)));
        List<TrialRecord> read = TrialRecordsReader.read(file);
        assertEquals(List.of("t1", "t2"), read.stream().map(r -> r.spec().trialId()).toList());
        assertEquals(TrialStatus.COMPLETED, read.get(0).status());
    }

    @Test
    void missingFileSaysWhatWasExpected() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> TrialRecordsReader.read(dir.resolve(TrialRecordsReader.FILE_NAME)));
        assertTrue(e.getMessage().contains("TrialRecord JSON per line"), e.getMessage());
    }
}
