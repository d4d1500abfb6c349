package bitsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

    @Test
    void aFlagGivenTwiceTakesItsLastValueAsArgparseDoesSoAPastedPaperCommandCanBeShortened() {
        CommandLine.ParseResult r = Main.commandLine().parseArgs("train", "--experiment=mnist", "--epochs", "100",
                "--optimizer", "Adam", "--epochs", "1");
        Integer epochs = r.subcommand().commandSpec().findOption("--epochs").getValue();
        assertEquals(1, epochs);
    }
}
