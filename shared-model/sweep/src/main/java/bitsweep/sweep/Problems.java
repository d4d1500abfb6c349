package bitsweep.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects every problem of one sweep file so that all of them are reported at once, each as
 * {@code file:line:col: message}, in file order. Identical lines (e.g. the same bad base flag seen
 * by every trial) are kept once, and the list is capped so a pathological file cannot flood the
 * terminal.
 */
final class Problems {
    static final int MAX_REPORTED = 100;

    private final String file;
    private final Map<String, Pos> lines = new LinkedHashMap<>();
    private int dropped;

    Problems(String file) {
        this.file = file;
    }

    void add(Pos pos, String message) {
        String line = file + ":" + pos + ": " + message;
        if (lines.containsKey(line)) {
            return;
        }
        if (lines.size() >= MAX_REPORTED) {
            dropped++;
            return;
        }
        lines.put(line, pos);
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }

    /** Throws the collected problems, if any, sorted by position (stable for equal positions). */
    void throwIfAny() throws SweepFileException {
        if (lines.isEmpty()) {
            return;
        }
        List<Map.Entry<String, Pos>> entries = new ArrayList<>(lines.entrySet());
        entries.sort(Comparator.comparingInt((Map.Entry<String, Pos> e) -> e.getValue().line())
                .thenComparingInt(e -> e.getValue().column()));
        List<String> all = new ArrayList<>();
        entries.forEach(e -> all.add(e.getKey()));
        if (dropped > 0) {
            all.add(file + ": … and " + dropped + " more problems");
        }
        throw new SweepFileException(all);
    }
}
