package bitsweep.orchestrator.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The one Jackson configuration used for every JSON file the report reads or writes. */
final class ReportJson {
    /** Line-oriented files ({@code trials.jsonl}): compact, one value per line. */
    static final ObjectMapper COMPACT = new ObjectMapper();
    /** Files meant to be read by people too ({@code frontier.json}, {@code validation.json}). */
    static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {
    }
}
