package bitsweep.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.app.cli.Cli;
import bitsweep.app.cli.OrchestratorCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code orchestrator --standby} used wrongly is refused at start (exit 2) with what to do, before anything runs. */
class StandbyOptionTest {
    @TempDir
    Path tmp;

    private record Result(int code, String err) {
    }

    private static Result orchestrator(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true));
        try {
            return new Result(Cli.commandLine(new OrchestratorCommand()).execute(args), err.toString());
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void aStandbyWithTheEmbeddedJournalIsRefusedBecauseItCouldNotReadTheActiveOnesJournal() {
        Path results = tmp.resolve("results");
        Result r = orchestrator("../sweeps/mnist-smoke.yaml", "--standby", "--bind", "127.0.0.1:25999", "--results",
                results.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("bitsweep orchestrator: --standby needs the journal in PostgreSQL (--journal "
                + "postgresql://"), r.err());
        assertFalse(Files.exists(results.resolve("journal")), "no journal was created");
    }

    @Test
    void aStandbyWithAnotherOrchestratorAsSeedIsRefusedItWouldWaitForANodeThatIsGone() {
        Result r = orchestrator("../sweeps/mnist-smoke.yaml", "--standby", "--bind", "127.0.0.1:25999", "--seeds",
                "127.0.0.1:25998,127.0.0.1:25999", "--results", tmp.resolve("results").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--standby: an orchestrator that takes over forms its own cluster; drop --seeds"),
                r.err());
    }
}
