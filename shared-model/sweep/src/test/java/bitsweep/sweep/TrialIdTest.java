package bitsweep.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.trial.InvalidTrialConfigException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TrialIdTest {
    private static final Path FILE = Path.of("ids.yaml");

    private static final String SWEEP = """
            # MNIST sweep for id tests
            name: ids
            experiment: mnist
            data-dir: ${DATA_DIR:-data}/mnist
            method: grid
            base:
              epochs: 3
              limit-train: 1000
            parameters:
              gating-lambda:
                values: [0.05, 0.5]
            variants:
              pruning: {include-pruning: true}
              no-pruning: {include-pruning: false}
            seeds: [0, 1]
            """;

    private static List<String> ids(String yaml, Map<String, String> env) throws SweepFileException {
        return SweepParser.parse(yaml, FILE, env).trials().stream().map(TrialSpec::trialId).toList();
    }

    private static List<String> ids(String yaml) throws SweepFileException {
        return ids(yaml, Map.of());
    }

    @Test
    void idHasReadablePrefixAndTenHexCharacters() throws Exception {
        String id = ids(SWEEP).get(0);
        assertTrue(id.matches("mu0\\.05-pruning-s0-[0-9a-f]{10}"), id);
    }

    /**
     * The ids of a known sweep, pinned: results, checkpoints and journals are filed under trial ids, so any
     * change to what is hashed or how it is serialised would orphan every existing sweep's results.
     */
    @Test
    void idsOfAKnownSweepNeverChange() throws Exception {
        assertEquals(List.of("mu0.05-pruning-s0-b33839b108", "mu0.05-pruning-s1-9f55dd8909",
                "mu0.5-pruning-s0-45ef9eb03a", "mu0.5-pruning-s1-58623b115e", "mu0.05-no-pruning-s0-8f16d8613a",
                "mu0.05-no-pruning-s1-42ff874a2a", "mu0.5-no-pruning-s0-99e01a16b2",
                "mu0.5-no-pruning-s1-918aff849d"), ids(SWEEP));
    }

    @Test
    void canonicalJsonOfAKnownTrialNeverChanges() throws Exception {
        TrialSpec t = SweepParser.parse(SWEEP, FILE, Map.of()).trials().get(0);
        assertEquals("{\"config\":{\"batch-size\":128,\"epochs\":3,\"eval-every\":1,\"experiment\":\"mnist\","
                + "\"fixed-48bit\":false,\"fixed-8bit\":false,\"fixed-gate-finetune-epochs\":0,\"gamma-16-init\":-6.0,"
                + "\"gamma-32-init\":-6.0,\"gamma-4-init\":6.0,\"gamma-8-init\":6.0,\"gating-lambda\":0.05,"
                + "\"gating-method\":\"l0\",\"include-pruning\":true,\"learned-scale\":\"range\",\"learning-rate\":0.001,"
                + "\"learning-rate-q\":0.001,\"learning-rate-s\":0.001,\"limit-train\":1000,\"lr-schedule\":\"linear\","
                + "\"method\":\"bayesian_bits\",\"model\":\"lenet5quantized\",\"momentum\":0.9,\"optimizer\":\"adam\","
                + "\"optimizer-q\":\"adam\",\"optimizer-s\":\"adam\",\"prune-only\":false,\"reg-type\":\"bop\",\"seed\":0,"
                + "\"weight-decay\":0.0},\"variant\":\"pruning\"}", TrialIds.canonicalJson(t.variant(), t.config()));
    }

    @Test
    void idsAreUniqueWithinASweep() throws Exception {
        List<String> ids = ids(SWEEP);
        assertEquals(8, ids.size());
        assertEquals(8, new HashSet<>(ids).size());
    }

    @Test
    void sameFileGivesSameIdsAcrossParses() throws Exception {
        assertEquals(ids(SWEEP), ids(SWEEP));
    }

    @Test
    void idsIgnoreKeyOrderCommentsAndFlowStyle() throws Exception {
        String reordered = """
                seeds: [0, 1]   # two seeds
                variants:
                  pruning:
                    include-pruning: true
                  no-pruning:
                    include-pruning: false
                parameters:
                  gating-lambda: {values: [0.05, 0.5]}
                base: {limit-train: 1000, epochs: 3}
                method: grid
                data-dir: ${DATA_DIR:-data}/mnist
                experiment: mnist
                name: ids
                """;
        assertEquals(Set.copyOf(ids(SWEEP)), Set.copyOf(ids(reordered)));
    }

    @Test
    void addingAValueToAnAxisKeepsEveryOtherTrialsId() throws Exception {
        List<String> before = ids(SWEEP);
        List<String> after = ids(SWEEP.replace("[0.05, 0.5]", "[0.05, 0.2, 0.5]"));
        assertEquals(12, after.size());
        assertTrue(after.containsAll(before), "old ids must survive: " + before + " vs " + after);
    }

    @Test
    void addingASeedOrVariantKeepsEveryOtherTrialsId() throws Exception {
        List<String> before = ids(SWEEP);
        assertTrue(ids(SWEEP.replace("seeds: [0, 1]", "seeds: [0, 1, 2]")).containsAll(before));
        assertTrue(ids(SWEEP.replace("  no-pruning: {include-pruning: false}\n",
                "  no-pruning: {include-pruning: false}\n  slow: {learning-rate-q: 0.0001}\n")).containsAll(before));
    }

    @Test
    void spellingOutAPresetValueKeepsTheId() throws Exception {
        // the hash sees the resolved configuration, so stating the default changes nothing
        assertEquals(ids(SWEEP), ids(SWEEP.replace("  epochs: 3\n", "  epochs: 3\n  batch-size: 128\n")));
    }

    /** gate-samples came later: its default 1 is left out of the hash, so ids of earlier sweeps stay. */
    @Test
    void defaultGateSamplesKeepsTheIdAndOtherValuesChangeIt() throws Exception {
        List<String> before = ids(SWEEP);
        assertEquals(before, ids(SWEEP.replace("  epochs: 3\n", "  epochs: 3\n  gate-samples: 1\n")));
        List<String> four = ids(SWEEP.replace("  epochs: 3\n", "  epochs: 3\n  gate-samples: 4\n"));
        assertTrue(before.stream().noneMatch(four::contains));
        TrialSpec t = SweepParser.parse(SWEEP, FILE, Map.of()).trials().get(0);
        assertEquals(1, t.config().gateSamples());
        assertTrue(!TrialIds.canonicalJson(t.variant(), t.config()).contains("gate-samples"));
    }

    @Test
    void changingATrainingFlagChangesEveryId() throws Exception {
        List<String> before = ids(SWEEP);
        List<String> after = ids(SWEEP.replace("epochs: 3", "epochs: 4"));
        assertTrue(before.stream().noneMatch(after::contains));
    }

    @Test
    void dataLocationDoesNotChangeIds() throws Exception {
        assertEquals(ids(SWEEP, Map.of("DATA_DIR", "/a")), ids(SWEEP, Map.of("DATA_DIR", "/b")));
    }

    @Test
    void deriveWithANewMuGivesTheSameIdAsTheFileWouldHave() throws Exception {
        Sweep sweep = SweepParser.parse(SWEEP, FILE, Map.of());
        TrialSpec base = sweep.trials().get(0);
        TrialSpec derived = SweepExpander.derive(base, Map.of("gating-lambda", 0.2));
        assertEquals(0.2, derived.config().gatingLambda());
        assertEquals(0.2, derived.params().get("gating-lambda"));
        assertEquals(base.variant(), derived.variant());
        assertEquals(base.sweep(), derived.sweep());
        assertEquals(base.config().epochs(), derived.config().epochs());
        assertNotEquals(base.trialId(), derived.trialId());
        Set<String> fromFile = SweepParser.parse(SWEEP.replace("[0.05, 0.5]", "[0.05, 0.2, 0.5]"), FILE, Map.of())
                .trials().stream().map(TrialSpec::trialId).collect(Collectors.toSet());
        assertTrue(fromFile.contains(derived.trialId()), derived.trialId());
    }

    @Test
    void deriveAcceptsAnIntegerForARealFlag() throws Exception {
        TrialSpec base = SweepParser.parse(SWEEP, FILE, Map.of()).trials().get(0);
        assertEquals(1.0, SweepExpander.derive(base, Map.of("gating-lambda", 1)).config().gatingLambda());
    }

    @Test
    void deriveRejectsUnknownFlagsAndInvalidValues() throws Exception {
        TrialSpec base = SweepParser.parse(SWEEP, FILE, Map.of()).trials().get(0);
        InvalidTrialConfigException unknown = assertThrows(InvalidTrialConfigException.class,
                () -> SweepExpander.derive(base, Map.of("gating-lamda", 0.2)));
        assertTrue(unknown.getMessage().contains("gating-lamda: unknown flag"), unknown.getMessage());
        InvalidTrialConfigException negative = assertThrows(InvalidTrialConfigException.class,
                () -> SweepExpander.derive(base, Map.of("gating-lambda", -0.2)));
        assertTrue(negative.getMessage().contains("gating-lambda: expected a number >= 0"), negative.getMessage());
    }
}
