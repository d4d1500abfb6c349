package bitsweep.orchestrator.node;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;

/**
 * Parses CLI durations like {@code 500ms}, {@code 10s}, {@code 2m} or {@code 1h} with Typesafe Config, so
 * options read durations as Pekko's settings and the sweep file do ({@code 1.5s}, {@code 10 seconds} too).
 */
public final class Durations {

    private Durations() {
    }

    /** The duration {@code text} given to {@code option}; a unit is required and it may not be negative. */
    public static Duration parse(String option, String text) {
        String trimmed = text.trim();
        // Typesafe Config reads a bare number as milliseconds; on a command line "10" more likely means
        // seconds, so (as before) a number without a unit is refused rather than guessed
        if (trimmed.isEmpty() || !Character.isLetter(trimmed.charAt(trimmed.length() - 1))) {
            throw invalid(option, text);
        }
        Duration d;
        try {
            d = ConfigFactory.parseMap(Map.of("d", trimmed)).getDuration("d");
        } catch (ConfigException e) {
            throw invalid(option, text);
        }
        if (d.isNegative()) {
            throw invalid(option, text);
        }
        return d;
    }

    private static IllegalArgumentException invalid(String option, String text) {
        return new IllegalArgumentException(option + ": expected a duration like 500ms, 10s, 2m or 1h, got '"
                + text + "'");
    }
}
