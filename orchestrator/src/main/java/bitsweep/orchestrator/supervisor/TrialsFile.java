package bitsweep.orchestrator.supervisor;

import bitsweep.io.AtomicFiles;
import bitsweep.sweep.TrialRecord;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code results/<sweep>/trials.jsonl} (one {@link TrialRecord} per line, latest state of every
 * trial) in step with the supervisor. Rewrites are atomic and coalesced on a background thread (at
 * most one per {@code DEBOUNCE_MS}), so a busy supervisor never waits for JSON or the disk.
 */
public final class TrialsFile implements AutoCloseable {
    public static final String NAME = "trials.jsonl";
    /** Base delay; large sweeps add 0.5 ms per trial so rewriting the whole file stays a small cost. */
    static final long DEBOUNCE_MS = 200;
    private static final Logger log = LoggerFactory.getLogger(TrialsFile.class);
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private final Path file;
    private final java.util.concurrent.ScheduledThreadPoolExecutor writer;
    private final AtomicReference<SweepState> latest = new AtomicReference<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    public TrialsFile(Path resultsDir) {
        this.file = resultsDir.resolve(NAME);
        this.writer = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "bitsweep-trials-jsonl");
            t.setDaemon(true);
            return t;
        });
        // close() follows a flush: a debounced rewrite still pending then must not run (after the folder is gone).
        writer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Schedules a rewrite with this state (the newest state wins). */
    public void update(SweepState state) {
        latest.set(state);
        if (scheduled.compareAndSet(false, true)) {
            writer.schedule(this::writeLatest, DEBOUNCE_MS + state.trials().size() / 2, TimeUnit.MILLISECONDS);
        }
    }

    /** Writes this state now and waits for it. */
    public void flush(SweepState state) {
        latest.set(state);
        try {
            writer.submit(this::writeLatest).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.error("could not write {}", file, e.getCause());
        }
    }

    private void writeLatest() {
        scheduled.set(false);
        SweepState state = latest.get();
        if (state == null) {
            return;
        }
        try {
            write(file, state.records());
        } catch (IOException e) {
            log.error("could not write {}: {}", file, e.toString());
        }
    }

    public static void write(Path file, List<TrialRecord> records) throws IOException {
        StringBuilder sb = new StringBuilder(records.size() * 512);
        for (TrialRecord r : records) {
            sb.append(JSON.writeValueAsString(r)).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    public static List<TrialRecord> read(Path file) throws IOException {
        List<TrialRecord> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(JSON.readValue(line, TrialRecord.class));
            } catch (IOException e) {
                throw new IOException(file + ":" + lineNo + ": not a trial record: " + e.getMessage(), e);
            }
        }
        return out;
    }

    @Override
    public void close() {
        writer.shutdown();
    }
}
