package bitsweep.orchestrator.report;

import java.util.List;
import java.util.stream.Collectors;

/** RFC 4180 CSV lines: fields with a comma, quote, CR or LF are quoted, quotes doubled. */
final class Csv {
    private Csv() {
    }

    static String field(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }

    /** One record terminated by CRLF, as RFC 4180 asks. */
    static String line(List<String> fields) {
        return fields.stream().map(Csv::field).collect(Collectors.joining(",")) + "\r\n";
    }
}
