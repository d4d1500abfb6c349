package bitsweep.app.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.app.Main;
import bitsweep.orchestrator.report.SweepCompletion;
import bitsweep.sweep.Sweep;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import bitsweep.worker.sim.SimulatedTrialRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code bitsweep status/cancel/extend --url} against a running sweep's API. */
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@Tag("slow") // in `mvn verify`, not the fast `mvn test` loop (docs/testing.md)
class DashboardCliTest {
    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {
    }

    private static synchronized Run bitsweep(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = Main.commandLine().execute(args);
            return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void statusCancelAndExtendWorkThroughTheApi() throws Exception {
        Sweep sweep = DashboardApiTest.sweep("cli", "0.01, 0.1", 1);
        String hanging = sweep.trials().get(0).trialId();
        var sim = SimulatedTrialRunner.Settings.durations(300, 300).hanging(Set.of(hanging));
        try (SweepUnderTest s = SweepUnderTest.start(sweep, tmp.resolve("results"), true, 1, sim, "127.0.0.1", null)) {
            DashboardApiTest.awaitJson(new Http(s.baseUrl, null), "/api/trials/" + hanging,
                    t -> t.get("status").asText().equals("running"), "running");
            Run status = bitsweep("status", "--url", s.baseUrl);
            assertEquals(0, status.exit(), status.err());
            assertTrue(status.out().contains(hanging + "  running"), status.out());
            assertTrue(status.out().contains("sweep cli: running; 2 trials: queued 1, running 1"), status.out());

            Run extend = bitsweep("extend", "--url", s.baseUrl, "--mu", "1.0", "--seeds", "5");
            assertEquals(0, extend.exit(), extend.err());
            assertTrue(extend.out().lines().anyMatch(l -> l.equals("4 trial(s) added")), extend.out()); // MU 1 × seeds {0,5} + seed 5 × {0.01, 0.1}
            Run again = bitsweep("extend", "--url", s.baseUrl, "--mu", "1.0");
            assertEquals(1, again.exit());
            assertTrue(again.err().contains("refused: the sweep already has every trial"), again.err());
            assertEquals(2, bitsweep("extend", "--url", s.baseUrl).exit(), "nothing to add");

            Run cancel = bitsweep("cancel", "--url", s.baseUrl, "--trial", hanging);
            assertEquals(0, cancel.exit(), cancel.err());
            assertTrue(cancel.out().lines().anyMatch(l -> l.startsWith("trial " + hanging + " cancelled (was running")),
                    cancel.out());
            Run unknown = bitsweep("cancel", "--url", s.baseUrl, "--trial", "no-such-trial");
            assertEquals(2, unknown.exit());
            assertTrue(unknown.err().contains("no trial 'no-such-trial'"), unknown.err());
            Run unreachable = bitsweep("status", "--url", "http://127.0.0.1:1");
            assertEquals(2, unreachable.exit());
            assertTrue(unreachable.err().contains("cannot reach http://127.0.0.1:1"), unreachable.err());

            SweepCompletion done = s.completion().get(60, TimeUnit.SECONDS);
            assertEquals(5, done.count(TrialStatus.COMPLETED));
            assertEquals(1, done.count(TrialStatus.CANCELLED));
        }
    }

    @Test
    void runAndOrchestratorRefuseANonLoopbackDashboardWithoutAToken() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(bitsweep.orchestrator.api.ApiBinding.TOKEN_VARIABLE)
                == null, "needs an environment without an API token");
        Path yaml = java.nio.file.Files.writeString(tmp.resolve("s.yaml"), """
                name: refused
                experiment: mnist
                base: {epochs: 1}
                method: grid
                parameters:
                  gating-lambda: {values: [0.1]}
                """);
        Run run = bitsweep("run", yaml.toString(), "--simulate", "10-10", "--results", tmp.resolve("r").toString(),
                "--http", "0.0.0.0:9");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("bitsweep run: --http 0.0.0.0:9 is reachable from other machines"), run.err());
        assertTrue(run.err().contains("BITSWEEP_API_TOKEN"), run.err());
        assertTrue(!java.nio.file.Files.exists(tmp.resolve("r")), "refused before anything started");
        Run orchestrator = bitsweep("orchestrator", yaml.toString(), "--bind", "127.0.0.1:0", "--results",
                tmp.resolve("r").toString(), "--http", "0.0.0.0:9");
        assertEquals(2, orchestrator.exit());
        assertTrue(orchestrator.err().contains("--http 0.0.0.0:9 is reachable from other machines"), orchestrator.err());
    }

    /** {@code bitsweep run --http}: the dashboard of a local run with device processes, as users start it. */
    @Test
    void runWithHttpServesTheDashboardWhileTheSweepRuns() throws Exception {
        Path yaml = java.nio.file.Files.writeString(tmp.resolve("http.yaml"), """
                name: http
                experiment: mnist
                base: {epochs: 2}
                method: grid
                parameters:
                  gating-lambda: {values: [0.01, 0.1]}
                """);
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        var exit = java.util.concurrent.CompletableFuture.supplyAsync(() -> bitsweep.app.cli.Cli.commandLine(
                new bitsweep.app.local.RunCommand()).execute(yaml.toString(), "--results", tmp.resolve("r").toString(),
                "--cpu-workers", "1", "--simulate", "4000-4000", "--worker-heap", "256m", "--http", "127.0.0.1:" + port));
        var seen = DashboardApiTest.awaitJson(new Http(url, null), "/api/workers", w -> w.size() == 1 && w.get(0).hasNonNull("trialId"), "a device process runs a trial");
        assertTrue(seen.get(0).get("name").asText().contains("cpu"), seen.toString());
        Run status = bitsweep("status", "--url", url);
        assertEquals(0, status.exit(), status.err());
        assertTrue(status.out().contains("sweep http: running; 2 trials"), status.out());
        assertEquals(0, exit.get(3, TimeUnit.MINUTES));
    }
}
