package bitsweep.app.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.app.cli.Cli;
import bitsweep.app.cli.OrchestratorCommand;
import bitsweep.app.cli.WorkerCommand;
import bitsweep.app.local.RunCommand;
import bitsweep.cluster.TlsMaterial;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The node commands refuse a network address without TLS before they read or start anything: exit code 2
 * and a message saying how to create certificates or to pass --insecure.
 */
class SecureByDefaultCommandTest {
    @TempDir
    Path tmp;

    private record Result(int code, String err) {
    }

    private static Result execute(Callable<Integer> command, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true));
        try {
            return new Result(Cli.commandLine(command).execute(args), err.toString());
        } finally {
            System.setErr(saved);
        }
    }

    private static void assertRefusedWithAdvice(Result r, String address) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("refusing to use [" + address + "] without TLS"), r.err());
        assertTrue(r.err().contains("bitsweep certs init") && r.err().contains("bitsweep certs node"), r.err());
        assertTrue(r.err().contains("--tls-dir") && r.err().contains("--insecure"), r.err());
    }

    @Test
    void anOrchestratorOnANetworkAddressWithoutTlsExits2SayingHowToCreateCertificates() {
        Path results = tmp.resolve("results");
        Result r = execute(new OrchestratorCommand(), "../sweeps/mnist-smoke.yaml", "--bind", "10.0.0.5:25520",
                "--results", results.toString());
        assertRefusedWithAdvice(r, "10.0.0.5:25520");
        assertFalse(Files.exists(results), "nothing was started or written");
    }

    @Test
    void aWorkerThatJoinsANetworkAddressWithoutTlsExits2() {
        Result r = execute(new WorkerCommand(), "--join", "10.0.0.5:25520", "--scratch", tmp.resolve("s").toString());
        assertRefusedWithAdvice(r, "10.0.0.5:25520");
        assertFalse(Files.exists(tmp.resolve("s")), "no device process was started");
    }

    @Test
    void tlsMaterialWithoutItsPasswordsExits2NamingTheVariables() {
        if (System.getenv(TlsMaterial.KEYSTORE_PASSWORD_ENV) != null) {
            return; // this test reads the real environment
        }
        Result r = execute(new RunCommand(), "../sweeps/mnist-smoke.yaml", "--tls-dir", tmp.toString(),
                "--results", tmp.resolve("results").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(TlsMaterial.KEYSTORE_PASSWORD_ENV)
                && r.err().contains(TlsMaterial.TRUSTSTORE_PASSWORD_ENV), r.err());
    }

    @Test
    void theLauncherOffersCertsInitAndNode() {
        CommandLine certs = bitsweep.app.Main.commandLine().getSubcommands().get("certs");
        assertTrue(certs != null && certs.getSubcommands().keySet().containsAll(java.util.Set.of("init", "node")),
                "bitsweep certs init|node is registered");
    }
}
