package bitsweep.report;

import bitsweep.sweep.TrialRecord;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code results/<sweep>/trials.jsonl}: one {@link TrialRecord} JSON per line, blank lines
 * ignored. When a trial id appears more than once the last line wins (the supervisor may append a
 * newer state of a trial), keeping the position of its first appearance.
 */
public final class TrialRecordsReader {

    public static final String FILE_NAME = "trials.jsonl";

    private TrialRecordsReader() {
    }

    /**
     * @throws IOException naming {@code file:line} and what was expected when a line is not a trial record
     */
    public static List<TrialRecord> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    "no trials file: expected one TrialRecord JSON per line (written by the sweep supervisor)");
        }
        Map<String, TrialRecord> byId = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                TrialRecord record = parseLine(file, lineNo, line);
                byId.put(record.spec().trialId(), record);
            }
        }
        return new ArrayList<>(byId.values());
    }

    private static TrialRecord parseLine(Path file, int lineNo, String line) throws IOException {
        TrialRecord record;
        try {
            record = ReportJson.COMPACT.readValue(line, TrialRecord.class);
        } catch (JsonProcessingException e) {
            throw new IOException(file + ":" + lineNo + ": not a trial record (expected one TrialRecord JSON object"
                    + " per line): " + e.getOriginalMessage(), e);
        }
        if (record == null || record.spec() == null || record.spec().trialId() == null) {
            throw new IOException(file + ":" + lineNo + ": trial record without spec.trialId");
        }
        if (record.status() == null) {
            throw new IOException(file + ":" + lineNo + ": trial " + record.spec().trialId() + " has no status"
                    + " (expected completed, failed, cancelled, queued or running)");
        }
        if (TrialRecord.COMPLETED.equals(record.status()) && record.result() == null) {
            throw new IOException(file + ":" + lineNo + ": trial " + record.spec().trialId()
                    + " is completed but has no result");
        }
        return record;
    }
}
