package bitsweep.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.trial.TrialConfig;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SweepExpansionTest {
    private static final Path FILE = Path.of("sweeps/test-sweep.yaml");

    static Sweep parse(String yaml) throws SweepFileException {
        return SweepParser.parse(yaml, FILE, Map.of("DATA_DIR", "/mnt/data"));
    }

    @Test
    void gridExpandsVariantsTimesAxesTimesSeedsInStableOrder() throws Exception {
        Sweep s = parse("""
                experiment: mnist
                method: grid
                parameters:
                  gating-lambda: {values: [0.01, 0.1]}
                  learning-rate: {values: [0.001, 0.01]}
                variants:
                  pruning: {include-pruning: true}
                  no-pruning: {include-pruning: false}
                seeds: [0, 1]
                """);
        assertEquals(16, s.trials().size());
        TrialSpec first = s.trials().get(0);
        assertEquals("pruning", first.variant());
        assertEquals(Map.of("gating-lambda", 0.01, "learning-rate", 0.001), first.params());
        assertEquals(0L, first.config().seed());
        // seeds vary fastest, then the last axis (learning-rate), then gating-lambda, then the variant
        assertEquals(1L, s.trials().get(1).config().seed());
        assertEquals(0.01, s.trials().get(2).config().learningRate());
        assertEquals(0.1, s.trials().get(4).config().gatingLambda());
        assertEquals("no-pruning", s.trials().get(8).variant());
        assertEquals(false, s.trials().get(8).config().includePruning());
    }

    /** A variant's own 'seeds' replace the top-level list for that variant only. */
    @Test
    void variantSeedsReplaceTheTopLevelSeedsForThatVariant() throws Exception {
        Sweep s = parse("""
                experiment: mnist
                method: grid
                variants:
                  bop: {reg-type: bop, seeds: [3, 4]}
                  exact: {reg-type: bop-exact}
                  ablation: {gate-samples: 4, seeds: [0]}
                seeds: [0, 1]
                """);
        List<String> got = s.trials().stream().map(t -> t.variant() + ":" + t.config().seed()).toList();
        assertEquals(List.of("bop:3", "bop:4", "exact:0", "exact:1", "ablation:0"), got);
        assertEquals("bop-exact", s.trials().get(2).config().regType());
        assertEquals(4, s.trials().get(4).config().gateSamples());
    }

    @Test
    void badVariantSeedsAreReportedAtTheVariant() {
        SweepFileException e = org.junit.jupiter.api.Assertions.assertThrows(SweepFileException.class, () -> parse("""
                experiment: mnist
                method: grid
                variants:
                  bop: {seeds: [3, 3]}
                  odd: {seeds: seven}
                """));
        assertTrue(e.getMessage().contains("variants.bop.seeds: duplicate seed 3"), e.getMessage());
        assertTrue(e.getMessage().contains("variants.odd.seeds: expected a list of integers"), e.getMessage());
    }

    @Test
    void trialConfigIsBaseThenVariantThenAxisThenSeedResolved() throws Exception {
        Sweep s = parse("""
                name: layered
                experiment: mnist
                data-dir: ${DATA_DIR:-data}/mnist
                checkpoint-every: 2
                method: grid
                base:
                  epochs: 7
                  learning-rate-q: 0.05
                  include-pruning: true
                parameters:
                  gating-lambda: {value: 0.3}
                variants:
                  fast: {epochs: 2, learning-rate-q: 0.01}
                seeds: [5]
                """);
        TrialConfig c = s.trials().get(0).config();
        assertEquals("layered", s.name());
        assertEquals("layered", s.trials().get(0).sweep());
        assertEquals(2, c.epochs(), "variant overrides base");
        assertEquals(0.01, c.learningRateQ(), "variant overrides base");
        assertEquals(true, c.includePruning(), "base kept where the variant is silent");
        assertEquals(0.3, c.gatingLambda(), "axis value");
        assertEquals(5L, c.seed());
        assertEquals("/mnt/data/mnist", c.dataDir(), "${DATA_DIR} expanded");
        assertEquals(2, c.checkpointEvery());
        assertEquals("lenet5quantized", c.model(), "preset filled in by resolved()");
        assertEquals(-6.0, c.gamma16Init(), "preset filled in by resolved()");
    }

    @Test
    void envDefaultAppliesWhenTheVariableIsUnsetOrEmpty() throws Exception {
        String yaml = "experiment: mnist\nmethod: grid\ndata-dir: ${DATA_DIR:-data}/mnist\n";
        assertEquals("data/mnist", SweepParser.parse(yaml, FILE, Map.of()).trials().get(0).config().dataDir());
        assertEquals("data/mnist",
                SweepParser.parse(yaml, FILE, Map.of("DATA_DIR", "")).trials().get(0).config().dataDir());
        assertEquals("/x/mnist",
                SweepParser.parse(yaml, FILE, Map.of("DATA_DIR", "/x")).trials().get(0).config().dataDir());
    }

    @Test
    void bareEnvReferenceIsExpandedForStringFlags() throws Exception {
        Sweep s = SweepParser.parse("experiment: imagenet\nmethod: grid\nbase:\n  pretrained: ${W}\n", FILE,
                Map.of("W", "/weights/r18.pt"));
        assertEquals("/weights/r18.pt", s.trials().get(0).config().pretrained());
    }

    @Test
    void sweepWithoutVariantsOrSeedsHasOneBaseVariantAndSeedZero() throws Exception {
        Sweep s = parse("experiment: cifar10\nmethod: grid\nparameters:\n  gating-lambda: {values: [0.01, 0.1]}\n");
        assertEquals(2, s.trials().size());
        assertEquals(SweepExpander.DEFAULT_VARIANT, s.trials().get(0).variant());
        assertEquals(0L, s.trials().get(0).config().seed());
        assertEquals("test-sweep", s.name(), "name defaults to the file name");
        assertEquals(3, s.maxAttempts(), "max-attempts defaults to 3");
        assertEquals(0, s.refineExtraTrials());
    }

    @Test
    void maxAttemptsAndRefineAreCarriedIntoTheSweep() throws Exception {
        Sweep s = parse("experiment: mnist\nmethod: grid\nmax-attempts: 5\nrefine: {extra-trials: 3}\n");
        assertEquals(5, s.maxAttempts());
        assertEquals(3, s.refineExtraTrials());
    }

    @Test
    void randomDrawsRunCapPointsPerVariantWithinTheRanges() throws Exception {
        Sweep s = parse("""
                experiment: mnist
                method: random
                run_cap: 20
                seed: 7
                parameters:
                  gating-lambda: {distribution: log_uniform_values, min: 0.001, max: 1.0}
                  learning-rate: {distribution: uniform, min: 0.0001, max: 0.01}
                  epochs: {distribution: int_uniform, min: 2, max: 4}
                  optimizer: {distribution: categorical, values: [adam, sgd]}
                variants:
                  a: {include-pruning: true}
                  b: {include-pruning: false}
                """);
        assertEquals(40, s.trials().size());
        Set<Integer> epochs = new HashSet<>();
        Set<String> optimizers = new HashSet<>();
        for (TrialSpec t : s.trials()) {
            TrialConfig c = t.config();
            assertTrue(c.gatingLambda() >= 0.001 && c.gatingLambda() <= 1.0, t.trialId());
            assertTrue(c.learningRate() >= 0.0001 && c.learningRate() <= 0.01, t.trialId());
            assertTrue(c.epochs() >= 2 && c.epochs() <= 4, t.trialId());
            epochs.add(c.epochs());
            optimizers.add(c.optimizer());
        }
        assertEquals(Set.of(2, 3, 4), epochs);
        assertEquals(Set.of("adam", "sgd"), optimizers);
        // both variants see the same sampled points, so they can be compared point by point
        for (int i = 0; i < 20; i++) {
            assertEquals(s.trials().get(i).params(), s.trials().get(20 + i).params());
        }
    }

    @Test
    void logUniformSamplesCoverEveryDecade() throws Exception {
        Sweep s = parse("""
                experiment: mnist
                method: random
                run_cap: 200
                parameters:
                  gating-lambda: {distribution: log_uniform_values, min: 0.001, max: 1.0}
                """);
        int[] decades = new int[3];
        for (TrialSpec t : s.trials()) {
            decades[(int) Math.min(2, Math.floor(Math.log10(t.config().gatingLambda()) + 3))]++;
        }
        for (int d : decades) {
            assertTrue(d > 40, "each decade should get about a third of 200 samples: " + java.util.Arrays.toString(decades));
        }
    }

    @Test
    void randomSamplingIsReproducibleAndDependsOnTheSeed() throws Exception {
        String yaml = """
                experiment: mnist
                method: random
                run_cap: 5
                seed: %d
                parameters:
                  gating-lambda: {distribution: uniform, min: 0.0, max: 1.0}
                """;
        List<TrialSpec> a = parse(yaml.formatted(1)).trials();
        List<TrialSpec> b = parse(yaml.formatted(1)).trials();
        List<TrialSpec> c = parse(yaml.formatted(2)).trials();
        assertEquals(a, b);
        assertNotEquals(a.get(0).params(), c.get(0).params());
    }

    @Test
    void integerWrittenForARealFlagIsAccepted() throws Exception {
        Sweep s = parse("experiment: mnist\nmethod: grid\nparameters:\n  gating-lambda: {values: [1, 0.5]}\n");
        assertEquals(1.0, s.trials().get(0).config().gatingLambda());
        assertEquals(1.0, s.trials().get(0).params().get("gating-lambda"));
    }

    @Test
    void pruneOnlyVariantsOfTheAblationPassTrialPresets() throws Exception {
        Sweep s = parse("""
                experiment: imagenet
                method: grid
                base: {include-pruning: true, prune-only: true}
                variants:
                  fp32: {}
                  w8a8: {fixed-8bit: true}
                  w4a8: {fixed-48bit: true}
                """);
        assertEquals(3, s.trials().size());
        assertEquals(true, s.trials().get(1).config().fixed8bit());
        assertEquals(true, s.trials().get(2).config().fixed48bit());
    }

    @Test
    void scientificNotationAndHexFollowYaml12CoreSchema() throws Exception {
        Sweep s = parse("experiment: mnist\nmethod: grid\nbase: {learning-rate: 1e-3, limit-train: 0x10}\n");
        assertEquals(0.001, s.trials().get(0).config().learningRate());
        assertEquals(16, s.trials().get(0).config().limitTrain());
    }
}
