package bitsweep.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.app.cli.NativesCommand;
import bitsweep.natives.StagedFolders;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativesCommandTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = Cli.commandLine(new NativesCommand()).execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void checkOfAnEmptyFolderExitsTwoNamingTheFolderAndTheExpectedFiles(@TempDir Path dir) {
        Run r = run("check", "--dir", dir.toString());
        assertEquals(2, r.exit());
        assertTrue(r.out().contains("present: (nothing)"), r.out());
        assertTrue(r.err().startsWith("error: PyTorch natives for flavor cu128"), r.err());
        assertTrue(r.err().contains("missing in " + dir.toAbsolutePath()), r.err());
        assertTrue(r.err().contains("pytorch/2.7.1-cu128-linux-x86_64/0.36.0-libdjl_torch.so"), r.err());
    }

    @Test
    void checkOfAStagedFolderExitsZeroListingItsFiles(@TempDir Path dir) throws Exception {
        StagedFolders.complete(dir, "cu128");
        Run r = run("check", "--dir", dir.toString(), "--flavor", "cu128");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("missing: (nothing)"), r.out());
        assertTrue(r.out().contains("libtorch_cuda.so"), r.out());
        assertTrue(r.out().contains("ok: DJL can load the cu128 natives"), r.out());
    }

    @Test
    void stagingAFlavorThisDjlCannotLoadExitsTwo(@TempDir Path dir) {
        Run r = run("stage", "--flavor", "cu124", "--dir", dir.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("flavor cu124 cannot be loaded by DJL 0.36.0"), r.err());
    }
}
