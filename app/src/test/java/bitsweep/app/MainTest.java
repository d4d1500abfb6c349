package bitsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
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

    @Test
    void theLauncherListsEverySubcommandOnceInAlphabeticalOrder() {
        List<String> names = new ArrayList<>(Main.commandLine().getSubcommands().keySet());
        assertEquals(List.of("bench", "bench-scheduler", "cancel", "certs", "doctor", "download", "export", "extend",
                "natives", "orchestrator", "report", "run", "status", "train", "validate", "worker"), names);
    }
}
