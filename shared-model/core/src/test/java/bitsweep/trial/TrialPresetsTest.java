package bitsweep.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import bitsweep.trial.TrialChoices.Experiment;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Presets and the one validation path, both keyed by the {@link TrialFlag} table. */
class TrialPresetsTest {

    private static TrialConfig resolve(String flag, Object value) {
        return TrialFlags.fromMap(Map.of("experiment", "mnist", flag, value)).resolved();
    }

    @Test
    void everyFlagHasAPresetInEveryExperimentOrIsOneOfTheFewLeftUnset() {
        Set<TrialFlag> unset = EnumSet.of(TrialFlag.EXPERIMENT, TrialFlag.PRETRAINED, TrialFlag.LIMIT_TRAIN,
                TrialFlag.LIMIT_TEST);
        for (Experiment e : Experiment.values()) {
            Set<TrialFlag> covered = EnumSet.copyOf(TrialPresets.preset(e).keySet());
            covered.addAll(unset);
            assertEquals(EnumSet.allOf(TrialFlag.class), covered, "a new flag needs a preset in " + e
                    + " (TrialPresets.preset) or a reason to stay unset");
        }
    }

    @Test
    void everyDeclaredChoiceIsAcceptedInAnyCaseAndStoredInLowerCase() {
        for (TrialFlag f : TrialFlag.values()) {
            if (!f.isChoice() || f == TrialFlag.EXPERIMENT || f == TrialFlag.MODEL) {
                continue; // experiment and model are tied to each other, see below
            }
            for (String choice : f.choices()) {
                TrialConfig c = resolve(f.flagName(), choice.toUpperCase(Locale.ROOT));
                assertEquals(choice, TrialFlags.get(c, f), f.flagName());
            }
        }
        for (Experiment e : Experiment.values()) {
            TrialConfig c = TrialFlags.fromMap(Map.of("experiment", e.value().toUpperCase(Locale.ROOT),
                    "model", e.model().value().toUpperCase(Locale.ROOT))).resolved();
            assertEquals(List.of(e.value(), e.model().value()), List.of(c.experiment(), c.model()));
        }
    }

    @Test
    void anUndeclaredChoiceIsRejectedNamingTheFlagItsChoicesAndTheValueAsTyped() {
        for (TrialFlag f : TrialFlag.values()) {
            if (!f.isChoice() || f == TrialFlag.EXPERIMENT || f == TrialFlag.MODEL) {
                continue;
            }
            InvalidTrialConfigException e = assertThrows(InvalidTrialConfigException.class,
                    () -> resolve(f.flagName(), "Nope"));
            assertEquals(List.of(f.flagName() + ": expected one of " + String.join(", ", f.choices())
                    + ", got 'Nope'"), e.problems());
        }
        assertEquals(List.of("experiment: expected one of mnist, cifar10, imagenet, got 'SVHN'"), assertThrows(
                InvalidTrialConfigException.class,
                () -> TrialFlags.fromMap(Map.of("experiment", "SVHN")).resolved()).problems());
        assertEquals(List.of("model: experiment mnist uses 'lenet5quantized', got 'resnet18'"),
                assertThrows(InvalidTrialConfigException.class, () -> resolve("model", "resnet18")).problems());
    }
}
