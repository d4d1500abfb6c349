package bitsweep.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bitsweep.cluster.certs.ClusterCa;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertsCommandTest {

    @TempDir
    Path dir;

    @Test
    void initWithoutTheCaPasswordInTheEnvironmentNamesTheVariableExits2AndWritesNothing() {
        // the command reads the real environment, which has no BITSWEEP_CA_PASSWORD in a test run
        assumeTrue(System.getenv(ClusterCa.CA_PASSWORD_ENV) == null, ClusterCa.CA_PASSWORD_ENV + " is set here");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true));
        int code;
        try {
            code = Cli.commandLine(new CertsCommand()).execute("init", "--dir", dir.resolve("other").toString());
        } finally {
            System.setErr(saved);
        }
        assertEquals(2, code);
        assertTrue(err.toString().startsWith("bitsweep certs init: "), err.toString());
        assertTrue(err.toString().contains("set " + ClusterCa.CA_PASSWORD_ENV), err.toString());
        assertFalse(Files.exists(dir.resolve("other").resolve(ClusterCa.CA_KEYSTORE)));
    }
}
