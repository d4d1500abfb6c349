package bitsweep.app.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.app.cli.Cli;
import bitsweep.orchestrator.supervisor.TrialsFile;
import bitsweep.sweep.SweepParser;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import bitsweep.worker.process.DeviceProcessSupervisor.Exit;
import bitsweep.worker.process.DeviceProcessSupervisor;
import bitsweep.worker.sim.SimulatedTrialRunner;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bitsweep run --cpu-workers 2 --simulate …} exactly as the CLI runs it (the supervisor in this
 * JVM, one device process per slot), with a device process killed with SIGKILL in the middle of a trial.
 */
@Tag("slow") // in `mvn verify`, not the fast `mvn test` loop (docs/testing.md)
class DeviceProcessRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Failure detection and downing tuned down (as ChildJvm.FAST_CLUSTER); device processes inherit them. */
    private static final Map<String, String> FAST_CLUSTER = Map.of(
            "pekko.cluster.failure-detector.heartbeat-interval", "300ms",
            "pekko.cluster.failure-detector.acceptable-heartbeat-pause", "1500ms",
            "pekko.cluster.split-brain-resolver.stable-after", "2s",
            "pekko.cluster.unreachable-nodes-reaper-interval", "250ms",
            "pekko.cluster.gossip-interval", "200ms",
            "pekko.remote.artery.advanced.stop-quarantined-after-idle", "2s");

    @TempDir
    Path tmp;

    private final Map<String, String> saved = new HashMap<>();

    @BeforeEach
    void fastCluster() {
        FAST_CLUSTER.forEach((k, v) -> saved.put(k, System.setProperty(k, v)));
        ConfigFactory.invalidateCaches();
    }

    @AfterEach
    void restore() {
        saved.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
        ConfigFactory.invalidateCaches();
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    void aDeviceProcessKilledMidTrialIsRestartedAndItsTrialResumesFromItsCheckpointWhileTheOtherIsUntouched()
            throws Exception {
        Path sweepFile = tmp.resolve("kill9.yaml");
        Files.writeString(sweepFile, """
                name: kill9
                experiment: mnist
                data-dir: data/mnist
                base:
                  epochs: 6
                method: grid
                parameters:
                  gating-lambda:
                    values: [0.1, 0.2]
                seeds: [0]
                max-attempts: 3
                checkpoint-every: 1
                """);
        List<String> ids = SweepParser.parse(sweepFile).trials().stream().map(t -> t.trialId()).toList();
        Path results = tmp.resolve("results");
        RunCommand run = new RunCommand();
        AtomicReference<DeviceProcessSupervisor> supervisor = new AtomicReference<>();
        run.onDeviceProcessesStarted = supervisor::set;
        // 6 epochs of 1.5 s: long enough to kill one trial after its first checkpoint while the other runs
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Cli.commandLine(run).execute(
                sweepFile.toString(), "--results", results.toString(), "--cpu-workers", "2", "--simulate", "9000-9000",
                "--worker-heap", "256m", "--status-every", "5s"));

        await("the device processes", Duration.ofSeconds(60), () -> supervisor.get() != null);
        DeviceProcessSupervisor s = supervisor.get();
        // the first trial whose first checkpoint reached the orchestrator's store, and its device process
        String[] victim = new String[1];
        await("a stored checkpoint of a running trial", Duration.ofSeconds(120), () -> {
            for (String id : ids) {
                Path dir = results.resolve("trials").resolve(id).resolve("checkpoints");
                // a complete checkpoint (a transfer in progress is a hidden .tmp file beside it)
                if (Files.isDirectory(dir) && read(results.resolve("trials").resolve(id).resolve("result.json")).isEmpty()
                        && dir.toFile().list((d, n) -> n.endsWith(".ckpt") && !n.startsWith(".")).length > 0) {
                    victim[0] = id;
                    return true;
                }
            }
            return false;
        });
        String killed = victim[0];
        Thread.sleep(500); // the file is in the store; give the supervisor a moment to journal it
        String other = ids.get(0).equals(killed) ? ids.get(1) : ids.get(0);
        int slot = -1;
        for (int i = 0; i < 2; i++) {
            if (read(s.specs().get(i).logFile()).contains("trial " + killed + " attempt 1")) {
                slot = i;
            }
        }
        assertTrue(slot >= 0, "no device process log names trial " + killed);
        ProcessHandle p = s.process(slot).orElseThrow();
        assertTrue(p.destroyForcibly(), "SIGKILL sent");
        p.onExit().get(10, TimeUnit.SECONDS);

        assertEquals(0, exit.get(4, TimeUnit.MINUTES), "run exits 0: every trial completed");
        Map<String, TrialRecord> records = new HashMap<>();
        TrialsFile.read(results.resolve(TrialsFile.NAME)).forEach(r -> records.put(r.spec().trialId(), r));
        assertEquals(TrialStatus.COMPLETED, records.get(killed).status());
        assertEquals(2, records.get(killed).attempts(), "the killed attempt counted once: " + records.get(killed));
        assertEquals(TrialStatus.COMPLETED, records.get(other).status());
        assertEquals(1, records.get(other).attempts(), "the other device's trial was untouched: " + records.get(other));
        JsonNode resumed = JSON.readTree(results.resolve("trials").resolve(killed).resolve(SimulatedTrialRunner.ARTIFACT)
                .toFile());
        assertTrue(resumed.get("startedAtEpoch").asInt() >= 2, "resumed from its checkpoint: " + resumed);
        JsonNode untouched = JSON.readTree(results.resolve("trials").resolve(other).resolve(SimulatedTrialRunner.ARTIFACT)
                .toFile());
        assertEquals(1, untouched.get("startedAtEpoch").asInt(), untouched.toString());

        int victimSlot = slot;
        Exit crash = s.exits().stream().filter(e -> !e.whileStopping()).findFirst().orElse(null);
        assertNotNull(crash, "the supervisor saw the crash: " + s.exits());
        assertEquals(victimSlot, crash.slot());
        assertEquals(137, crash.code(), crash.description());
        assertEquals(1, s.exits().stream().filter(e -> !e.whileStopping()).count(), s.exits().toString());
        assertEquals(2, s.starts(victimSlot), "the killed device process was restarted");
        assertEquals(1, s.starts(1 - victimSlot));
        String log = read(s.specs().get(victimSlot).logFile());
        assertTrue(log.contains("start #2 of worker-" + victimSlot) && log.contains("killed by SIGKILL"), log);
        assertFalse(s.process(0).isPresent() || s.process(1).isPresent(), "run stopped its device processes");
    }

    @Test
    void aTrainerStuckInADeviceProcessIsAbortedItsProcessEndedAndRestartedAndTheTrialFinishes() throws Exception {
        Path sweepFile = tmp.resolve("stuck.yaml");
        Files.writeString(sweepFile, """
                name: stuck
                experiment: mnist
                data-dir: data/mnist
                base:
                  epochs: 3
                method: grid
                parameters:
                  gating-lambda:
                    values: [0.1, 0.2]
                max-attempts: 3
                stall-timeout: 3s
                """);
        List<String> ids = SweepParser.parse(sweepFile).trials().stream().map(t -> t.trialId()).toList();
        String stuck = ids.get(0);
        // inherited by the device processes: the first attempt of one trial blocks forever in "native code"
        Map<String, String> drill = Map.of("bitsweep.simulate.stuck", stuck,
                "bitsweep.worker.heartbeat-interval", "300ms", "bitsweep.supervisor.abort-grace", "1s");
        drill.forEach((k, v) -> saved.put(k, System.setProperty(k, v)));
        ConfigFactory.invalidateCaches();
        Path results = tmp.resolve("results");
        RunCommand run = new RunCommand();
        AtomicReference<DeviceProcessSupervisor> supervisor = new AtomicReference<>();
        run.onDeviceProcessesStarted = supervisor::set;
        int exit = Cli.commandLine(run).execute(sweepFile.toString(), "--results", results.toString(),
                "--cpu-workers", "2", "--simulate", "3000-3000", "--worker-heap", "256m", "--status-every", "5s");

        assertEquals(0, exit, "run exits 0: every trial completed");
        Map<String, TrialRecord> records = new HashMap<>();
        TrialsFile.read(results.resolve(TrialsFile.NAME)).forEach(r -> records.put(r.spec().trialId(), r));
        assertEquals(TrialStatus.COMPLETED, records.get(stuck).status());
        assertEquals(2, records.get(stuck).attempts(), "aborted once, finished on the retry: " + records.get(stuck));
        assertEquals(1, records.get(ids.get(1)).attempts(), records.get(ids.get(1)).toString());
        DeviceProcessSupervisor s = supervisor.get();
        Exit hung = s.exits().stream().filter(e -> !e.whileStopping()).findFirst().orElse(null);
        assertNotNull(hung, "the hung device process ended itself: " + s.exits());
        assertEquals(75, hung.code(), hung.description());
        assertEquals(2, s.starts(hung.slot()), "and was restarted");
        String log = read(s.specs().get(hung.slot()).logFile());
        assertTrue(log.contains("did not stop after it was aborted (no progress for"), log);
    }
}
