package bitsweep.sweep;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a trial stands. Written as its lowercase word ({@link #text()}) everywhere it leaves the process:
 * trials.jsonl, journal snapshots, cluster messages, the API, the dashboard and the metrics; files and
 * journals of earlier versions, which hold these words, read back unchanged.
 */
public enum TrialStatus {
    // the words are spelled out, not derived from the names, so renaming a constant cannot change a format
    QUEUED("queued"),
    RUNNING("running"),
    COMPLETED("completed"),
    FAILED("failed"),
    CANCELLED("cancelled");

    private final String text;

    TrialStatus(String text) {
        this.text = text;
    }

    /** The word files, journals and the API use. */
    @JsonValue
    public String text() {
        return text;
    }

    /** The status written as {@code text}; an unknown word is refused, naming the known ones. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static TrialStatus of(String text) {
        for (TrialStatus s : values()) {
            if (s.text.equals(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown trial status '" + text
                + "' (expected queued, running, completed, failed or cancelled)");
    }

    /** Completed, failed or cancelled: nothing more happens to the trial. */
    public boolean ended() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** The word, so messages and tables read as before. */
    @Override
    public String toString() {
        return text;
    }
}
