package bitsweep.worker.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.worker.process.DeviceProcessSupervisor.Exit;
import bitsweep.worker.process.DeviceProcesses.ChildSpec;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's supervision of its device processes, with small stand-in child JVMs. */
@Tag("slow") // in `mvn verify`, not the fast `mvn test` loop (docs/testing.md)
class DeviceProcessSupervisorTest {
    @TempDir
    Path tmp;

    private ChildSpec child(int index, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path").replace(";", File.pathSeparator),
                FakeDeviceProcess.class.getName()));
        cmd.addAll(List.of(args));
        DeviceSlot slot = new DeviceSlot(index, "cpu()", "cpu()", Map.of("OMP_NUM_THREADS", "1"), Map.of());
        return new ChildSpec(slot, cmd, slot.env(), tmp.resolve("logs/worker-" + index + ".log"),
                tmp.resolve("scratch/worker-" + index));
    }

    private static RestartBackoff fast() {
        return new RestartBackoff(Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofSeconds(60));
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aCrashedProcessIsRestartedWithBackoffAndEachStartAndExitIsAppendedToItsOwnLog() throws Exception {
        try (DeviceProcessSupervisor s = DeviceProcessSupervisor.start(List.of(child(0, "exit", "3", "0"),
                child(1, "run")), DeviceProcessSupervisorTest::fast, Duration.ofSeconds(10))) {
            await("three starts of the crashing process", Duration.ofSeconds(60), () -> s.starts(0) >= 3);
            List<Exit> exits = s.exits();
            assertTrue(exits.size() >= 2, exits.toString());
            for (Exit e : exits) {
                assertEquals(0, e.slot(), "the healthy process never exited: " + exits);
                assertEquals(3, e.code());
                assertFalse(e.whileStopping());
            }
            assertEquals(1, s.starts(1));
            assertTrue(s.pid(1).isPresent());
            String log = Files.readString(s.specs().get(0).logFile());
            assertTrue(log.contains("start #1 of worker-0:cpu()") && log.contains("start #2 of worker-0:cpu()"), log);
            assertTrue(log.contains("exited: exit code 3"), log);
            assertTrue(log.contains("fake device process"), "the child's own output is in its log: " + log);
        }
    }

    @Test
    void aProcessHaltedForAHungTrialExitsWith75AndIsRestarted() throws Exception {
        try (DeviceProcessSupervisor s = DeviceProcessSupervisor.start(List.of(child(0, "hang-halt", "200")),
                DeviceProcessSupervisorTest::fast, Duration.ofSeconds(10))) {
            await("a restart after the halt", Duration.ofSeconds(60), () -> s.starts(0) >= 2);
            Exit first = s.exits().get(0);
            assertEquals(ExitStatus.HUNG_TRIAL, first.code());
            assertEquals("exit code 75: restarted after it hung (a trial, or its termination; see its log)",
                    first.description());
            String log = Files.readString(s.specs().get(0).logFile());
            assertTrue(log.contains("training thread of trial t-1 hung for 600 s"), log);
        }
    }

    @Test
    void closeSendsSigtermToEveryProcessAndSigkillsOneThatOutlivesTheGracePeriod() throws Exception {
        DeviceProcessSupervisor s = DeviceProcessSupervisor.start(List.of(child(0, "run"), child(1, "ignore-sigterm")),
                DeviceProcessSupervisorTest::fast, Duration.ofSeconds(3));
        // wait until both JVMs run their main (a JVM killed before that would not show the hook's effect)
        await("both children running", Duration.ofSeconds(30), () -> s.specs().stream().allMatch(c -> {
            try {
                return Files.readString(c.logFile()).contains("fake device process");
            } catch (Exception e) {
                return false;
            }
        }));
        ProcessHandle p0 = s.process(0).orElseThrow();
        ProcessHandle p1 = s.process(1).orElseThrow();
        long start = System.nanoTime();
        s.close();
        double seconds = (System.nanoTime() - start) / 1e9;
        assertFalse(p0.isAlive());
        assertFalse(p1.isAlive());
        assertTrue(seconds >= 2.5 && seconds < 20, "waited for the grace period, then SIGKILL: " + seconds);
        await("both exits recorded", Duration.ofSeconds(10), () -> s.exits().size() == 2);
        List<Exit> exits = s.exits();
        assertTrue(exits.stream().allMatch(Exit::whileStopping), exits.toString());
        assertEquals(143, exits.stream().filter(e -> e.slot() == 0).findFirst().orElseThrow().code(), exits.toString());
        assertEquals(137, exits.stream().filter(e -> e.slot() == 1).findFirst().orElseThrow().code(), exits.toString());
        Thread.sleep(600); // longer than the backoff: nothing is restarted after close
        assertEquals(1, s.starts(0));
        assertEquals(1, s.starts(1));
    }
}
