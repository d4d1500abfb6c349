package bitsweep.orchestrator.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import bitsweep.orchestrator.report.TrialRecordsReader;
import bitsweep.orchestrator.supervisor.SupervisorEvent.SweepStarted;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialAssigned;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialQueued;
import bitsweep.sweep.TrialRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrialsFileTest {
    @TempDir
    Path dir;

    private SweepState apply(TrialsFile f, SweepState s, SupervisorEvent e) {
        f.changed(e);
        return s.apply(e);
    }

    private static List<String> statuses(List<TrialRecord> records) {
        return records.stream().map(r -> r.spec().trialId() + ":" + r.status()).toList();
    }

    private long lines() throws Exception {
        return Files.readAllLines(dir.resolve(TrialsFile.NAME)).size();
    }

    /** Waits for the debounced writer (an update's write lands within DEBOUNCE_MS plus scheduling). */
    private void awaitLines(long n) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((!Files.exists(dir.resolve(TrialsFile.NAME)) || lines() != n) && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertEquals(n, lines());
    }

    @Test
    void changedTrialsAreAppendedAndTheLastLineOfATrialWins() throws Exception {
        try (TrialsFile f = new TrialsFile(dir)) {
            SweepState s = apply(f, SweepState.empty(), new SweepStarted("s", 3, 0));
            for (var spec : TestSweeps.sweep("s", 3, 3).trials()) {
                s = apply(f, s, new TrialQueued(spec));
            }
            f.update(s); // the first write is a whole one
            awaitLines(3);
            s = apply(f, s, new TrialAssigned("t1", 1, "w", 1));
            f.update(s);
            awaitLines(4); // only t1 was appended
            List<String> expected = List.of("t0:queued", "t1:running", "t2:queued");
            assertEquals(expected, statuses(TrialsFile.read(dir.resolve(TrialsFile.NAME))));
            assertEquals(expected, statuses(TrialRecordsReader.read(dir.resolve(TrialsFile.NAME))));
            f.flush(s); // compacts: one line per trial
            assertEquals(3, lines());
            assertEquals(expected, statuses(TrialsFile.read(dir.resolve(TrialsFile.NAME))));
        }
    }

    @Test
    void aTornLastLineIsSkippedByEveryReader() throws Exception {
        try (TrialsFile f = new TrialsFile(dir)) {
            SweepState s = SweepState.empty().apply(new SweepStarted("s", 3, 0));
            for (var spec : TestSweeps.sweep("s", 2, 3).trials()) {
                s = s.apply(new TrialQueued(spec));
            }
            f.flush(s);
        }
        Path file = dir.resolve(TrialsFile.NAME);
        Files.writeString(file, "{\"spec\":{\"trialId\":\"t0\",\"sw", StandardOpenOption.APPEND);
        assertEquals(List.of("t0:queued", "t1:queued"), statuses(TrialsFile.read(file)));
        assertEquals(List.of("t0:queued", "t1:queued"), statuses(TrialRecordsReader.read(file)));
    }

    @Test
    void appendsAreCompactedOnceTheyOutnumberTheTrials() throws Exception {
        try (TrialsFile f = new TrialsFile(dir)) {
            SweepState s = apply(f, SweepState.empty(), new SweepStarted("s", 3, 0));
            var spec = TestSweeps.sweep("s", 1, 3).trials().get(0);
            s = apply(f, s, new TrialQueued(spec));
            f.update(s);
            awaitLines(1);
            for (int i = 1; i <= TrialsFile.COMPACT_MIN_LINES; i++) {
                s = apply(f, s, new TrialAssigned("t0", i, "w", i));
                f.update(s);
                Thread.sleep(i % 100 == 0 ? TrialsFile.DEBOUNCE_MS * 2 : 0); // let some writes happen
            }
            f.flush(s);
            assertEquals(1, lines());
            assertEquals(TrialsFile.COMPACT_MIN_LINES, TrialsFile.read(dir.resolve(TrialsFile.NAME)).get(0).attempts());
        }
    }
}
