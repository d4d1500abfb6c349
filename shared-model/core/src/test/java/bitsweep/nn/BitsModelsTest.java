package bitsweep.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import bitsweep.quant.BayesianBitsQuantizer;
import bitsweep.trial.TrialConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The factory turns a resolved trial config into the README model of its experiment. */
class BitsModelsTest {

    private static TrialConfig config(String json) throws Exception {
        return new ObjectMapper().readValue(json, TrialConfig.class).resolved();
    }

    @Test
    void mnistPresetBuildsLenetAtTheReadmeInitialisation() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            QuantizedModel model = BitsModels.create(config("{\"experiment\":\"mnist\"}"), m);
            assertEquals("lenet5", model.architecture());
            assertEquals(6.25, model.bops().relativeBops(), 1e-12);
            BayesianBitsQuantizer conv1 = model.bayesianBitsQuantizers().get(0);
            assertEquals(32, conv1.pruneLogits().length);
            assertEquals(-6f, conv1.gateLogits()[2]);
            BayesianBitsQuantizer fc2 = model.bayesianBitsQuantizers().get(6);
            assertFalse(fc2.hasPruningGates(), "logits layer is never pruned");
            assertEquals(7, model.bayesianBitsQuantizers().size(), "no activation quantizer on the logits");
        }
    }

    @Test
    void quantizationOnlyRunHasNoPruningGates() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            QuantizedModel model = BitsModels.create(config("{\"experiment\":\"mnist\",\"include-pruning\":false}"), m);
            model.bayesianBitsQuantizers().forEach(q -> assertNull(q.pruneLogits(), q.name()));
        }
    }

    @Test
    void fp32PruneOnlyRunHasNoActivationQuantizers() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            QuantizedModel model = BitsModels.create(config("{\"experiment\":\"imagenet\",\"prune-only\":true}"), m);
            assertTrue(model.bayesianBitsQuantizers().stream().allMatch(q -> q.name().endsWith(".weight")));
            assertEquals(21, model.bayesianBitsQuantizers().size());
            assertTrue(model.bops().layers().stream().allMatch(l -> l.weightBits() == 16));
        }
    }
}
