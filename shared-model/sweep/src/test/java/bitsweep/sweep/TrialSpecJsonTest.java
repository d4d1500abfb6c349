package bitsweep.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Trials travel to workers and into trials.jsonl as JSON; the round trip must keep them (and their ids) intact. */
class TrialSpecJsonTest {
    @Test
    void trialSpecSurvivesAJsonRoundTripWithTheSameId() throws Exception {
        Sweep sweep = SweepParser.parse("""
                experiment: mnist
                method: grid
                parameters:
                  gating-lambda: {values: [0.05]}
                  epochs: {values: [2]}
                  include-pruning: {values: [true]}
                seeds: [3]
                """, Path.of("json.yaml"), Map.of());
        TrialSpec spec = sweep.trials().get(0);
        ObjectMapper json = new ObjectMapper();
        TrialSpec back = json.readValue(json.writeValueAsString(spec), TrialSpec.class);
        assertEquals(spec, back);
        assertEquals(spec.trialId(), TrialIds.of(back.variant(), back.config()));
    }
}
