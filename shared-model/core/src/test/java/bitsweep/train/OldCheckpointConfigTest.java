package bitsweep.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import bitsweep.io.Json;
import bitsweep.trial.TrialConfig;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A checkpoint written before a flag existed still resumes: its config is compared after re-resolving. */
class OldCheckpointConfigTest {

    @Test
    void checkpointWithoutGateSamplesMatchesTheDefault() throws Exception {
        TrialConfig requested = Json.PRETTY_NON_NULL.readValue("{\"experiment\":\"mnist\",\"epochs\":3}",
                TrialConfig.class).resolved();
        ObjectNode old = Json.PRETTY_NON_NULL.valueToTree(requested);
        old.remove("gate-samples");
        TrialConfig saved = Json.PRETTY_NON_NULL.treeToValue(old, TrialConfig.class);
        assertEquals(List.of("gate-samples: null → 1"), DjlTrialRunner.differences(saved, requested));
        assertEquals(List.of(), DjlTrialRunner.differences(saved.resolved(), requested));
    }
}
