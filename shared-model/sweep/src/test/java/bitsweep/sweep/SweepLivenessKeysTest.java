package bitsweep.sweep;

import static bitsweep.sweep.SweepFileValidationTest.assertProblem;
import static bitsweep.sweep.SweepFileValidationTest.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sweep-file keys that bound an attempt's life: stall-timeout and max-trial-time. */
class SweepLivenessKeysTest {
    private static final String GRID = "experiment: mnist\nmethod: grid\nparameters:\n  gating-lambda: {values: [0.1]}\n";

    private static Sweep parse(String extra) throws Exception {
        return SweepParser.parse(GRID + extra, Path.of("ok.yaml"), Map.of());
    }

    @Test
    void durationsAreReadInPekkosFormatAndAutoMeansDerived() throws Exception {
        Sweep s = parse("stall-timeout: 20m\nmax-trial-time: 2 days\n");
        assertEquals(Duration.ofMinutes(20), s.stallTimeout());
        assertEquals(Duration.ofDays(2), s.maxTrialTime());
        Sweep auto = parse("stall-timeout: auto\n");
        assertNull(auto.stallTimeout());
        assertNull(auto.maxTrialTime());
        assertNull(parse("").stallTimeout());
    }

    @Test
    void aMalformedOrTooShortDurationIsRejectedWithItsPosition() {
        assertProblem(problems(GRID + "stall-timeout: soon\n"), "5:16", "stall-timeout: expected a duration like 90s, "
                + "20m or 2h, or 'auto', got 'soon'");
        assertProblem(problems(GRID + "max-trial-time: 10ms\n"), "5:17", "max-trial-time: expected at least 1s");
        assertProblem(problems(GRID + "max-trial-time: auto\n"), "5:17", "max-trial-time: expected a duration");
    }
}
