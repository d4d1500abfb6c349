package bitsweep.orchestrator.report;

import bitsweep.io.Json;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import com.fasterxml.jackson.core.JsonProcessingException;
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
 * ignored. When a trial id appears more than once the last line wins (the supervisor appends a
 * newer state of a trial), keeping the position of its first appearance. A last line without its
 * newline that does not parse is an unfinished append (the supervisor crashed) and is skipped.
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
        String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            TrialRecord record;
            try {
                record = parseLine(file, i + 1, lines[i]);
            } catch (IOException e) {
                if (i == lines.length - 1) {
                    continue; // no newline after it: an append the supervisor did not finish (it crashed)
                }
                throw e;
            }
            byId.put(record.spec().trialId(), record);
        }
        return new ArrayList<>(byId.values());
    }

    private static TrialRecord parseLine(Path file, int lineNo, String line) throws IOException {
        TrialRecord record;
        try {
            record = Json.MAPPER.readValue(line, TrialRecord.class);
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
        if (record.status() == TrialStatus.COMPLETED && record.result() == null) {
            throw new IOException(file + ":" + lineNo + ": trial " + record.spec().trialId()
                    + " is completed but has no result");
        }
        return record;
    }
}
