package bitsweep.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.io.Json;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrialStatusTest {

    @Test
    void statusesAreWrittenAsTheLowercaseWordsFilesAlwaysHeld() throws Exception {
        assertEquals(List.of("queued", "running", "completed", "failed", "cancelled"),
                Arrays.stream(TrialStatus.values()).map(TrialStatus::text).toList());
        for (TrialStatus s : TrialStatus.values()) {
            assertEquals("\"" + s.text() + "\"", Json.MAPPER.writeValueAsString(s));
            assertEquals(s.text(), s.toString(), "messages and tables print the word");
        }
    }

    @Test
    void aTrialsFileLineFromBeforeTheEnumReadsBackAndIsWrittenByteForByte() throws Exception {
        String line = "{\"spec\":{\"trialId\":\"t0\",\"sweep\":\"s\",\"variant\":\"v\",\"params\":{},\"config\":null},"
                + "\"status\":\"failed\",\"attempts\":3,\"error\":\"CUDA out of memory\"}";
        TrialRecord r = Json.MAPPER.readValue(line, TrialRecord.class);
        assertEquals(TrialStatus.FAILED, r.status());
        assertEquals(line, Json.MAPPER.writeValueAsString(r));
    }

    @Test
    void anUnknownStatusIsRefusedNamingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrialStatus.of("done"));
        assertEquals("unknown trial status 'done' (expected queued, running, completed, failed or cancelled)",
                e.getMessage());
        ValueInstantiationException json = assertThrows(ValueInstantiationException.class,
                () -> Json.MAPPER.readValue("\"Completed\"", TrialStatus.class));
        assertTrue(json.getMessage().contains("unknown trial status 'Completed'"), json.getMessage());
    }

    @Test
    void onlyCompletedFailedAndCancelledHaveEnded() {
        assertFalse(TrialStatus.QUEUED.ended());
        assertFalse(TrialStatus.RUNNING.ended());
        assertTrue(TrialStatus.COMPLETED.ended());
        assertTrue(TrialStatus.FAILED.ended());
        assertTrue(TrialStatus.CANCELLED.ended());
    }
}
