package bitsweep.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's flag table and the --help preset notes come from the flag table and the presets. */
class TrialFlagDocsTest {

    @Test
    void readmeFlagTableIsGeneratedFromTheFlagTable() throws IOException {
        String readme = Files.readString(Path.of(System.getProperty("bitsweep.repoRoot"), "README.md"));
        String expected = TrialFlagDocs.readmeSection();
        int begin = readme.indexOf(TrialFlagDocs.BEGIN);
        int end = readme.indexOf(TrialFlagDocs.END);
        assertTrue(begin >= 0 && end > begin, "README.md lacks the generated flag table; put this where it "
                + "belongs:\n\n" + expected + "\n");
        assertEquals(expected, readme.substring(begin, end + TrialFlagDocs.END.length()),
                "README.md's flag table is generated from bitsweep.trial.TrialFlag; replace the section between "
                        + "the markers (markers included) with:\n\n" + expected + "\n");
    }

    @Test
    void helpTextsCarryThePresetOfEachExperiment() {
        assertEquals("Bayesian Bits epochs (preset mnist 100, cifar10 300, imagenet 30)",
                TrialFlagDocs.helpWithPresets(TrialFlag.EPOCHS));
        assertEquals("Nesterov momentum of sgd groups (preset 0.9)", TrialFlagDocs.helpWithPresets(TrialFlag.MOMENTUM));
        assertEquals(TrialFlag.LIMIT_TRAIN.help(), TrialFlagDocs.helpWithPresets(TrialFlag.LIMIT_TRAIN), "no preset");
        assertEquals(TrialFlag.EXPERIMENT.help(), TrialFlagDocs.helpWithPresets(TrialFlag.EXPERIMENT));
    }

    @Test
    void theMarkdownTableHasOneRowPerFlagWithPipesEscaped() {
        String md = TrialFlagDocs.markdownTable();
        assertEquals(TrialFlag.values().length + 2, md.lines().count());
        assertTrue(md.contains("| `--include-pruning[=true\\|false]` | "), md);
        assertTrue(md.contains("| `--pretrained[=FILE]` | "), md);
        assertTrue(md.contains("| `--epochs` | Bayesian Bits epochs | 100 / 300 / 30 |"), md);
        assertTrue(md.contains("[docs/regularisers.md](docs/regularisers.md)"), md);
    }
}
