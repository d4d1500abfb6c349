package bitsweep.orchestrator.supervisor;

import bitsweep.io.AtomicFiles;
import bitsweep.io.Json;
import bitsweep.orchestrator.report.TrialRecordsReader;
import bitsweep.sweep.TrialRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code results/<sweep>/trials.jsonl} (one {@link TrialRecord} per line) in step with the
 * supervisor, on a background thread, so a busy supervisor never waits for JSON or the disk.
 *
 * <p>Its cost per event does not grow with the sweep: writes are coalesced (at most one per
 * {@code DEBOUNCE_MS}) and <em>append</em> the records of the trials that changed since the previous
 * write. A trial can therefore have several lines; <strong>the last line of a trial id wins</strong>
 * (every reader — {@link #read}, {@code TrialRecordsReader} — keeps the latest, at the place of the
 * first). Once the appended lines outnumber the trials (and at least {@link #COMPACT_MIN_LINES}), and on
 * every {@link #flush} and the first write of a supervisor, the file is rewritten whole (atomically:
 * temp, fsync, rename) with one line per trial, so rewrites cost O(1) per event amortized. A crash
 * during an append can leave a torn last line; readers skip a last line without its newline.
 *
 * <p>Threads: {@link #changed} is called by the supervisor's event handler and {@link #update} /
 * {@link #flush} by the supervisor (one actor thread); the changed ids travel to the writer together
 * with the state that holds their changes.
 */
public final class TrialsFile implements AutoCloseable {
    public static final String NAME = "trials.jsonl";
    static final long DEBOUNCE_MS = 200;
    /** Appended lines below this never trigger a compaction (small sweeps just append). */
    static final int COMPACT_MIN_LINES = 1000;
    private static final Logger log = LoggerFactory.getLogger(TrialsFile.class);

    private final Path file;
    private final java.util.concurrent.ScheduledThreadPoolExecutor writer;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** Changed since the last {@link #update}; only the supervisor's thread touches these two. */
    private Set<String> changedHere = new HashSet<>();
    private boolean allChangedHere = true; // the first write of an incarnation is a full one
    /** Handed to the writer: the newest state and what changed up to it (guarded by {@code this}). */
    private SweepState pendingState;
    private Set<String> pendingIds = new LinkedHashSet<>();
    private boolean pendingAll;
    /** Writer thread only: lines written since the last full rewrite, beyond one per trial. */
    private long appendedLines;

    public TrialsFile(Path resultsDir) {
        this.file = resultsDir.resolve(NAME);
        this.writer = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "bitsweep-trials-jsonl");
            t.setDaemon(true);
            return t;
        });
        // close() follows a flush: a debounced write still pending then must not run (after the folder is gone).
        writer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Notes that {@code event} changed a trial's record (or, for sweep-wide events, possibly all). */
    public void changed(SupervisorEvent event) {
        if (event instanceof SupervisorEvent.TrialProgressed || event instanceof SupervisorEvent.TrialCheckpointed
                || event instanceof SupervisorEvent.TrialCheckpointDiscarded) {
            return; // not part of a TrialRecord
        }
        String id = event.trialId();
        if (id == null) {
            allChangedHere = true;
        } else if (!allChangedHere) {
            changedHere.add(id);
        }
    }

    /** Schedules a write of what changed up to this state (coalesced: the newest state wins). */
    public void update(SweepState state) {
        if (!allChangedHere && changedHere.isEmpty()) {
            return;
        }
        synchronized (this) {
            pendingState = state;
            if (allChangedHere) {
                pendingAll = true;
                pendingIds.clear();
            } else if (!pendingAll) {
                pendingIds.addAll(changedHere);
            }
        }
        allChangedHere = false;
        changedHere = new HashSet<>();
        if (scheduled.compareAndSet(false, true)) {
            writer.schedule(this::writePending, DEBOUNCE_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** Rewrites the whole file with this state now and waits for it. */
    public void flush(SweepState state) {
        try {
            flushLater(state).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.error("could not write {}", file, e.getCause());
        }
    }

    /**
     * Rewrites the whole file with this state on the writer thread, without waiting: the supervisor's
     * thread must not block on a write that takes seconds at 100,000 trials. The future completes once the
     * file is written (exceptionally if it could not be).
     */
    public CompletableFuture<Void> flushLater(SweepState state) {
        allChangedHere = false;
        changedHere = new HashSet<>();
        synchronized (this) {
            pendingState = state;
            pendingAll = true;
            pendingIds.clear();
        }
        return CompletableFuture.runAsync(this::writePending, writer);
    }

    private void writePending() {
        scheduled.set(false);
        SweepState state;
        Set<String> ids;
        boolean all;
        synchronized (this) {
            state = pendingState;
            ids = pendingIds;
            all = pendingAll;
            pendingState = null;
            pendingIds = new LinkedHashSet<>();
            pendingAll = false;
        }
        if (state == null) {
            return;
        }
        try {
            if (all || appendedLines + ids.size() > Math.max(COMPACT_MIN_LINES, state.trials().size())
                    || !Files.exists(file)) {
                write(file, state.records());
                appendedLines = 0;
            } else if (!ids.isEmpty()) {
                append(state, ids);
                appendedLines += ids.size();
            }
        } catch (IOException e) {
            log.error("could not write {}: {}", file, e.toString());
            synchronized (this) { // try again, whole, with the next update
                pendingAll = true;
            }
        }
    }

    private void append(SweepState state, Set<String> ids) throws IOException {
        StringBuilder sb = new StringBuilder(ids.size() * 512);
        for (String id : ids) {
            TrialEntry t = state.trial(id);
            if (t != null) {
                sb.append(Json.MAPPER.writeValueAsString(t.toRecord())).append('\n');
            }
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }

    public static void write(Path file, List<TrialRecord> records) throws IOException {
        StringBuilder sb = new StringBuilder(records.size() * 512);
        for (TrialRecord r : records) {
            sb.append(Json.MAPPER.writeValueAsString(r)).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /**
     * The file's records, one per trial: when a trial id has several lines the last wins, at the place of
     * its first; a torn last line is skipped ({@link TrialRecordsReader}, which the report reads it with too).
     */
    public static List<TrialRecord> read(Path file) throws IOException {
        return TrialRecordsReader.read(file);
    }

    @Override
    public void close() {
        writer.shutdown();
    }
}
