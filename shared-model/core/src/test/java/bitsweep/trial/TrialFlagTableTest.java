package bitsweep.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.trial.TrialFlag.InSweepFile;
import bitsweep.trial.TrialFlag.InTrialId;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The flag table is the one declaration: {@link TrialConfig} must match it, entry for component. */
class TrialFlagTableTest {

    /** "name type componentName" per component / per table entry, in order. */
    private static List<String> describe(RecordComponent[] components) {
        List<String> out = new ArrayList<>();
        for (RecordComponent c : components) {
            // the annotation sits on the accessor (and field), not on the record component itself
            JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
            out.add((p == null ? "(no @JsonProperty)" : p.value()) + " " + c.getType().getSimpleName() + " "
                    + c.getName());
        }
        return out;
    }

    @Test
    void everyTrialConfigComponentHasExactlyOneFlagTableEntry() {
        List<String> table = Stream.of(TrialFlag.values())
                .map(f -> f.flagName() + " " + f.type().getSimpleName() + " " + f.componentName()).toList();
        assertEquals(table, describe(TrialConfig.class.getRecordComponents()),
                "TrialConfig's components (JSON name, type, name, order) must match the TrialFlag table; "
                        + "a new flag goes into both, at the same position");
    }

    @Test
    void everyChoiceFlagsHelpNamesEachOfItsChoices() {
        for (TrialFlag f : TrialFlag.values()) {
            for (String choice : f.choices()) {
                assertTrue(f.help().contains(choice), f.flagName() + ": help does not mention '" + choice + "'");
            }
        }
    }

    @Test
    void helpTextsAreOneLineAndSafeInPicocliAndMarkdown() {
        for (TrialFlag f : TrialFlag.values()) {
            String h = f.help();
            assertFalse(h.isBlank(), f.flagName());
            // picocli formats descriptions (%n, ${VAR}); a markdown cell ends at a newline
            assertFalse(h.contains("%") || h.contains("${") || h.contains("\n") || h.contains("@|"),
                    f.flagName() + ": " + h);
        }
    }

    /** A sweep-wide flag changes what a sweep file accepts where: each one is a deliberate decision. */
    @Test
    void onlyTheDeclaredFlagsAreSetOutsideBaseVariantsAndParameters() {
        Map<String, InSweepFile> notPerTrial = new TreeMap<>();
        for (TrialFlag f : TrialFlag.values()) {
            if (f.inSweepFile() != InSweepFile.PER_TRIAL) {
                notPerTrial.put(f.flagName(), f.inSweepFile());
            }
        }
        assertEquals(Map.of("experiment", InSweepFile.SWEEP_WIDE, "model", InSweepFile.SWEEP_WIDE,
                "data-dir", InSweepFile.SWEEP_WIDE, "checkpoint-every", InSweepFile.SWEEP_WIDE,
                "seed", InSweepFile.SEEDS_LIST), notPerTrial);
    }

    /**
     * How these flags enter the trial id must never change: it would change every trial id, and so which
     * results a resumed sweep finds again. (A flag added later is left out at its earlier value too.)
     */
    @Test
    void theFlagsKeptOutOfTheTrialIdHashStayOut() {
        Map<TrialFlag, String> pinned = Map.of(TrialFlag.DATA_DIR, "LEFT_OUT", TrialFlag.CHECKPOINT_EVERY, "LEFT_OUT",
                TrialFlag.PRETRAINED, "WHETHER_SET", TrialFlag.GATE_SAMPLES, "VALUE unless 1");
        pinned.forEach((flag, rule) -> assertEquals(rule, flag.inTrialId().toString(), flag.flagName()));
    }

    @Test
    void whatATrialIdHashesOfAValue() {
        assertEquals(0.05, InTrialId.IN_TRIAL_ID.hashed(0.05));
        assertNull(InTrialId.NOT_IN_TRIAL_ID.hashed("data/mnist"));
        assertEquals(true, InTrialId.WHETHER_SET_IN_TRIAL_ID.hashed("/weights/resnet18.npz"));
        assertNull(InTrialId.notInTrialIdAt(1).hashed(1));
        assertEquals(4, InTrialId.notInTrialIdAt(1).hashed(4));
    }

    @Test
    void choiceProblemsNameTheFlagAndTheDeclaredChoices() {
        assertEquals("reg-type: expected one of bop, const, bop-exact, got 'bops'",
                TrialFlag.REG_TYPE.choiceProblem("bops"));
        assertEquals(null, TrialFlag.OPTIMIZER.choiceProblem("sgd"));
        assertEquals(null, TrialFlag.LR_SCHEDULE.choiceProblem("anything"), "not a choice flag");
        assertEquals(List.of("adam", "sgd"), TrialFlag.OPTIMIZER_S.choices());
    }
}
