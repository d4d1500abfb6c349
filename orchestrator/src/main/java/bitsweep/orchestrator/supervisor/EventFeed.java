package bitsweep.orchestrator.supervisor;

import bitsweep.orchestrator.supervisor.SupervisorEvent.SweepCancelled;
import bitsweep.orchestrator.supervisor.SupervisorEvent.SweepExtended;
import bitsweep.orchestrator.supervisor.SupervisorEvent.SweepPaused;
import bitsweep.orchestrator.supervisor.SupervisorEvent.SweepResumed;
import bitsweep.orchestrator.supervisor.SupervisorEvent.SweepStarted;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialAssigned;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialCancelled;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialCheckpointDiscarded;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialCheckpointed;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialCompleted;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialFailed;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialProgressed;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialQueued;
import bitsweep.orchestrator.supervisor.SupervisorEvent.TrialRequeued;
import bitsweep.protocol.LiveView;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * The latest journal events, for the dashboard's event list: a bounded window keyed by sequence number,
 * so a journal replayed twice into the same supervisor (event sourcing restarted) does not list an
 * event twice. Replayed events that carry no time of their own are shown without one.
 */
final class EventFeed {
    static final int CAPACITY = 500;

    private final TreeMap<Long, LiveView.Event> events = new TreeMap<>();

    void add(long seq, SupervisorEvent e, long nowOrZero) {
        events.put(seq, describe(seq, e, nowOrZero));
        while (events.size() > CAPACITY) {
            events.pollFirstEntry();
        }
    }

    /** Up to {@code limit} latest events, oldest first. */
    List<LiveView.Event> latest(int limit) {
        List<LiveView.Event> all = new ArrayList<>(events.values());
        return List.copyOf(all.subList(Math.max(0, all.size() - limit), all.size()));
    }

    static LiveView.Event describe(long seq, SupervisorEvent e, long nowOrZero) {
        long at = nowOrZero;
        String text;
        if (e instanceof SweepStarted s) {
            at = s.atMillis();
            text = "sweep " + s.sweep() + " started (max-attempts " + s.maxAttempts() + ")";
        } else if (e instanceof TrialQueued q) {
            text = "queued";
        } else if (e instanceof TrialRequeued r) {
            text = "re-queued: " + r.reason();
        } else if (e instanceof TrialAssigned a) {
            at = a.atMillis();
            text = "attempt " + a.attempt() + " assigned to " + a.worker();
        } else if (e instanceof TrialProgressed p) {
            text = "epoch " + p.metrics().epoch() + (p.metrics().top1() == null ? ""
                    : String.format(Locale.ROOT, ", top-1 %.2f%%", p.metrics().top1()));
        } else if (e instanceof TrialCheckpointed c) {
            text = "checkpoint after epoch " + c.epoch();
        } else if (e instanceof TrialCompleted c) {
            at = c.atMillis();
            text = String.format(Locale.ROOT, "completed: top-1 %.2f%%, relative BOPs %.3f%%", c.result().top1(),
                    c.result().relativeBops());
        } else if (e instanceof TrialFailed f) {
            text = (f.permanent() ? "failed for good: " : "attempt failed (retried): ") + f.error();
        } else if (e instanceof TrialCheckpointDiscarded d) {
            text = "checkpoint discarded: " + d.reason();
        } else if (e instanceof TrialCancelled) {
            text = "cancelled";
        } else if (e instanceof SweepCancelled c) {
            at = c.atMillis();
            text = "sweep cancelled";
        } else if (e instanceof SweepPaused p) {
            at = p.atMillis();
            text = "sweep paused";
        } else if (e instanceof SweepResumed r) {
            at = r.atMillis();
            text = "sweep resumed";
        } else if (e instanceof SweepExtended x) {
            at = x.atMillis();
            text = "sweep extended by MU " + x.mus() + ", seeds " + x.seeds() + ": " + x.trials().size()
                    + " trial(s) added";
        } else {
            text = e.toString();
        }
        return new LiveView.Event(seq, at, e.getClass().getSimpleName(), e.trialId(), text);
    }
}
