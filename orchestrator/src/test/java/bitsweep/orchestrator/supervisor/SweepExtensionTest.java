package bitsweep.orchestrator.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.sweep.Sweep;
import bitsweep.sweep.SweepParser;
import bitsweep.sweep.TrialSpec;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SweepExtensionTest {

    private static Sweep parse(String yaml) throws Exception {
        return SweepParser.parse(yaml, Path.of("ext.yaml"), Map.of());
    }

    private static final String TWO_VARIANTS = """
            name: ext
            experiment: mnist
            base: {epochs: 1}
            method: grid
            parameters:
              gating-lambda: {values: [0.01, 0.1]}
            seeds: [0]
            variants:
              pruning: {include-pruning: true}
              no-pruning: {include-pruning: false}
            """;

    private static List<TrialEntry> entries(Sweep s) {
        return s.trials().stream().map(TrialEntry::queued).toList();
    }

    @Test
    void addedMuValuesGiveTheTrialsAndIdsTheSweepFileWouldHaveGiven() throws Exception {
        Sweep before = parse(TWO_VARIANTS);
        Sweep after = parse(TWO_VARIANTS.replace("[0.01, 0.1]", "[0.01, 0.1, 0.5]"));
        List<TrialSpec> added = SweepExtension.expand(entries(before), List.of(0.5), List.of());
        Set<String> expected = after.trials().stream().map(TrialSpec::trialId).collect(Collectors.toSet());
        before.trials().forEach(t -> expected.remove(t.trialId()));
        assertEquals(expected, added.stream().map(TrialSpec::trialId).collect(Collectors.toSet()));
        assertEquals(2, added.size(), "one per variant");
        assertTrue(added.stream().allMatch(t -> t.config().gatingLambda() == 0.5));
    }

    @Test
    void addedSeedsCrossEveryMuIncludingNewOnes() throws Exception {
        Sweep before = parse(TWO_VARIANTS);
        Sweep after = parse(TWO_VARIANTS.replace("[0.01, 0.1]", "[0.01, 0.1, 0.5]").replace("seeds: [0]",
                "seeds: [0, 7]"));
        List<TrialSpec> added = SweepExtension.expand(entries(before), List.of(0.5), List.of(7L));
        Set<String> expected = new HashSet<>(after.trials().stream().map(TrialSpec::trialId).toList());
        before.trials().forEach(t -> expected.remove(t.trialId()));
        assertEquals(expected, added.stream().map(TrialSpec::trialId).collect(Collectors.toSet()));
        assertEquals(2 * 3 * 2 - 4, added.size());
        assertFalse(added.get(0).params().containsKey("seed"), "the seed is not a swept parameter, as in the file");
    }

    @Test
    void valuesTheSweepHasAlreadyAddNothing() throws Exception {
        assertTrue(SweepExtension.expand(entries(parse(TWO_VARIANTS)), List.of(0.1), List.of(0L)).isEmpty());
    }

    @Test
    void badValuesAreRefusedWithWhatIsExpected() throws Exception {
        var e = entries(parse(TWO_VARIANTS));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SweepExtension.expand(e, List.of(-1.0),
                List.of())).getMessage().contains("MU must be a finite number >= 0, got -1.0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SweepExtension.expand(e, List.of(Double.NaN),
                List.of())).getMessage().contains("finite"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SweepExtension.expand(e, List.of(),
                List.of(-3L))).getMessage().contains("seeds must be integers >= 0, got -3"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SweepExtension.expand(e, List.of(),
                List.of())).getMessage().contains("nothing to add"));
        List<Long> many = java.util.stream.LongStream.range(100, 100 + SweepExtension.MAX_VALUES + 1).boxed().toList();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SweepExtension.expand(e, List.of(), many))
                .getMessage().contains("at most"));
    }
}
