package bitsweep.orchestrator.supervisor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Group commit: the events of several commands that go to the journal in one write.
 *
 * <p>Each journal write stalls the supervisor until it is durable (Pekko stashes every command meanwhile),
 * so one write per command caps the sweep at one round trip per event: ~140 trials/s on PostgreSQL with
 * 1,000 workers that wanted ~330. Commands that arrive together (the stash after a write, a burst of
 * results) now add their events here and are journaled by one write; what each command does after its
 * write (send assignments, answer, delete a file) waits here until that write is durable, in the order
 * the commands came.
 *
 * <p>Commands decide on {@link #view} — the durable state plus the pending events — so the second
 * command of a batch sees the first one's assignment. Pure and single-threaded (the actor's).
 */
final class JournalBatch {
    /** A batch this large is written at once rather than waiting for the mailbox to drain. */
    static final int MAX_EVENTS = 1_000;

    private final List<SupervisorEvent> events = new ArrayList<>();
    private final List<Consumer<SweepState>> afterWrite = new ArrayList<>();
    private SweepState state;
    private boolean flushRequested;
    private long writes;
    private long written;

    /** What commands decide on: the durable state with the pending events applied. */
    SweepState view(SweepState durable) {
        return state == null ? durable : state;
    }

    /** True while events or after-write actions wait for a write. */
    boolean pending() {
        return state != null || !afterWrite.isEmpty();
    }

    /**
     * Adds a command's events (applied to {@code current}, which must be {@link #view}) and what it does
     * once they are durable.
     */
    void add(SweepState current, List<SupervisorEvent> commandEvents, Consumer<SweepState> after) {
        SweepState next = current;
        for (SupervisorEvent e : commandEvents) {
            next = next.apply(e);
        }
        if (!commandEvents.isEmpty()) {
            state = next;
            events.addAll(commandEvents);
        }
        if (after != null) {
            afterWrite.add(after);
        }
    }

    /** True the first time it is asked after the batch got its first entry: the caller schedules one flush. */
    boolean claimFlush() {
        if (flushRequested || !pending()) {
            return false;
        }
        flushRequested = true;
        return true;
    }

    boolean full() {
        return events.size() >= MAX_EVENTS;
    }

    /** Empties the batch for one journal write; the actions run, in order, once it is durable. */
    Write take() {
        var w = new Write(List.copyOf(events), List.copyOf(afterWrite));
        if (!w.events().isEmpty()) {
            writes++;
            written += w.events().size();
        }
        events.clear();
        afterWrite.clear();
        state = null;
        flushRequested = false;
        return w;
    }

    /** Drops what was not written (a failed write restarts the supervisor, which replays the journal). */
    void discard() {
        events.clear();
        afterWrite.clear();
        state = null;
        flushRequested = false;
    }

    /** Journal writes made through this batch, and the events they held. */
    long writes() {
        return writes;
    }

    long eventsWritten() {
        return written;
    }

    /** One journal write: its events, and what runs once they are durable. */
    record Write(List<SupervisorEvent> events, List<Consumer<SweepState>> afterWrite) {
        void runAfterWrite(SweepState durable) {
            afterWrite.forEach(a -> a.accept(durable));
        }
    }
}
