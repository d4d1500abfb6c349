package bitsweep.app.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.app.cluster.SmallSweepFile;
import bitsweep.cluster.NodeSecurity;
import bitsweep.cluster.TlsMaterial;
import bitsweep.cluster.certs.ClusterCa;
import bitsweep.orchestrator.report.SweepCompletion;
import bitsweep.orchestrator.report.SweepCompletionHook;
import bitsweep.sweep.SweepParser;
import bitsweep.sweep.TrialStatus;
import bitsweep.worker.process.DeviceProcessSupervisor;
import bitsweep.worker.process.DeviceProcesses.ChildSpec;
import bitsweep.worker.process.DeviceSlot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TLS node's device processes speak TLS too: the node (supervisor, certificate from {@code bitsweep certs})
 * and its device process form a TLS-only cluster and run a simulated trial; the child got the TLS files as
 * system properties and the passwords only through its environment.
 */
@Tag("slow") // in `mvn verify`, not the fast `mvn test` loop (docs/testing.md)
class TlsDeviceProcessRunTest {
    private static final String KEYSTORE_SECRET = "node-test-secret-4711";
    private static final String TRUSTSTORE_SECRET = "trust-test-secret-4711";
    private static final Map<String, String> ENV = Map.of(ClusterCa.CA_PASSWORD_ENV, "ca-test-secret",
            TlsMaterial.KEYSTORE_PASSWORD_ENV, KEYSTORE_SECRET, TlsMaterial.TRUSTSTORE_PASSWORD_ENV, TRUSTSTORE_SECRET);

    @TempDir
    Path tmp;

    @Test
    void aDeviceProcessOfATlsNodeJoinsOverTlsAndRunsATrialWithoutPasswordsOnItsCommandLine() throws Exception {
        Path certs = tmp.resolve("certs");
        ClusterCa.init(certs, ENV);
        Path nodeDir = ClusterCa.node(certs, "local", List.of("127.0.0.1", "localhost"), false, ENV);
        NodeSecurity security = NodeSecurity.tls(TlsMaterial.fromDir(nodeDir, ENV));
        Path sweepFile = SmallSweepFile.write(tmp, "tls", 0.1);
        Path results = tmp.resolve("results");
        AtomicReference<DeviceProcessSupervisor> children = new AtomicReference<>();
        List<DeviceSlot> slots = DeviceSlot.plan(List.of("cpu()"), 1, 1, null);
        CompletableFuture<SweepCompletion> run = CompletableFuture.supplyAsync(() -> {
            try {
                return LocalRun.runWithDeviceProcesses(SweepParser.parse(sweepFile), results, false, slots, "300-300",
                        "256m", Duration.ofSeconds(5), SweepCompletionHook.LOG, children::set, security);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // a child without TLS could not join the TLS-only supervisor node, and the trial would never run
        SweepCompletion done = run.get(3, TimeUnit.MINUTES);
        assertEquals(1, done.count(TrialStatus.COMPLETED), done.trials().toString());

        ChildSpec child = children.get().specs().get(0);
        String commandLine = String.join(" ", child.command());
        assertTrue(commandLine.contains("-Dbitsweep.tls.enabled=on"), commandLine);
        assertTrue(commandLine.contains("-Dbitsweep.tls.key-store=" + nodeDir.resolve("node.p12").toAbsolutePath()),
                commandLine);
        assertFalse(commandLine.contains(KEYSTORE_SECRET) || commandLine.contains(TRUSTSTORE_SECRET),
                "no password on a device process's command line: " + commandLine);
        assertEquals(KEYSTORE_SECRET, child.env().get(TlsMaterial.KEYSTORE_PASSWORD_ENV), "passwords by environment");
        assertFalse(child.toString().contains(KEYSTORE_SECRET), "a spec never prints a password: " + child);

        String childLog = Files.readString(child.logFile());
        assertTrue(childLog.contains("cluster transport: tls-tcp"), "the device process's remoting runs on tls-tcp:\n" + childLog);
        for (Path log : List.of(child.logFile(), results.resolve("logs").resolve("run.log"))) {
            String text = Files.readString(log);
            assertFalse(text.contains(KEYSTORE_SECRET) || text.contains(TRUSTSTORE_SECRET), "a password in " + log);
        }
    }
}
