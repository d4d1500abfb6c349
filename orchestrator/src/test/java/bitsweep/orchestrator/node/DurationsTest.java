package bitsweep.orchestrator.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @Test
    void acceptsMillisecondsSecondsMinutesAndHours() {
        assertEquals(Duration.ofMillis(500), Durations.parse("--status-every", "500ms"));
        assertEquals(Duration.ofSeconds(10), Durations.parse("--status-every", "10s"));
        assertEquals(Duration.ofMinutes(2), Durations.parse("--status-every", "2m"));
        assertEquals(Duration.ofHours(1), Durations.parse("--status-every", "1h"));
        assertEquals(Duration.ZERO, Durations.parse("--status-every", "0s"));
        assertEquals(Duration.ofSeconds(10), Durations.parse("--status-every", " 10s "));
    }

    @Test
    void acceptsTypesafeConfigSpellingsAsPekkoSettingsDo() {
        assertEquals(Duration.ofMillis(1500), Durations.parse("--status-every", "1.5s"));
        assertEquals(Duration.ofSeconds(10), Durations.parse("--status-every", "10 seconds"));
        assertEquals(Duration.ofDays(1), Durations.parse("--status-every", "1d"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "10", "10x", "-5s", "s", "10s5"})
    void rejectsWithTheOptionAndTheExpectedForm(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Durations.parse("--status-every", text));
        assertEquals("--status-every: expected a duration like 500ms, 10s, 2m or 1h, got '" + text + "'",
                e.getMessage());
    }
}
