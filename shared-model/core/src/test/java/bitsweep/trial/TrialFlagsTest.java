package bitsweep.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Flag maps (command line, sweep files, refinements) to {@link TrialConfig} and back. */
class TrialFlagsTest {

    @Test
    void aFlagMapBuildsTheConfigAndComesBackInTableOrder() {
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put("seed", 3L);
        flags.put("experiment", "mnist");
        flags.put("include-pruning", false);
        flags.put("gating-lambda", 0.05);
        TrialConfig c = TrialFlags.fromMap(flags);
        assertEquals(0.05, c.gatingLambda());
        assertEquals(false, c.includePruning());
        assertEquals(3L, c.seed());
        assertEquals(null, c.epochs());
        assertEquals(List.of("experiment", "gating-lambda", "include-pruning", "seed"),
                List.copyOf(TrialFlags.toMap(c).keySet()));
        assertEquals(0.05, TrialFlags.get(c, TrialFlag.GATING_LAMBDA));
    }

    @Test
    void numbersAreWidenedToTheFlagsTypeAsForSweepFiles() {
        TrialConfig c = TrialFlags.fromMap(Map.of("gating-lambda", 1, "seed", 2, "epochs", 3L));
        assertEquals(1.0, c.gatingLambda());
        assertEquals(2L, c.seed());
        assertEquals(3, c.epochs());
    }

    @Test
    void unknownFlagsAndWrongTypesAreReportedByName() {
        assertEquals(List.of("gating-lamda: unknown flag"), assertThrows(InvalidTrialConfigException.class,
                () -> TrialFlags.fromMap(Map.of("gating-lamda", 0.1))).problems());
        assertEquals(List.of("epochs: expected an integer, got Double 2.5"), assertThrows(
                InvalidTrialConfigException.class, () -> TrialFlags.fromMap(Map.of("epochs", 2.5))).problems());
        assertEquals(List.of("include-pruning: expected true or false, got String yes"), assertThrows(
                InvalidTrialConfigException.class, () -> TrialFlags.coerce("include-pruning", "yes")).problems());
    }
}
