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
import bitsweep.protocol.CborSerializable;
import bitsweep.sweep.TrialRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sweep as the journal knows it: every trial's entry plus the queue order. Immutable
 * (copy-on-write), because Pekko hands the same object to the snapshot store and the trials.jsonl
 * writer on other threads while the supervisor moves on.
 *
 * @param queue    trial ids waiting for a worker, head first (re-queued trials go to the front so a
 *                 resumed trial is not starved behind fresh ones)
 * @param paused   no trial is handed out (a user paused the sweep)
 * @param extended trials a user added to the running sweep (not refinement trials)
 */
public record SweepState(String sweep, boolean started, boolean cancelled, int maxAttempts,
                         Map<String, TrialEntry> trials, List<String> queue, boolean paused,
                         List<String> extended) implements CborSerializable {

    public SweepState {
        extended = extended == null ? List.of() : extended; // snapshots taken before extensions existed
    }

    public static SweepState empty() {
        return new SweepState(null, false, false, 3, Map.of(), List.of(), false, List.of());
    }

    public TrialEntry trial(String trialId) {
        return trials.get(trialId);
    }

    public boolean allTerminal() {
        return started && trials.values().stream().allMatch(TrialEntry::terminal);
    }

    public List<TrialRecord> records() {
        List<TrialRecord> out = new ArrayList<>(trials.size());
        trials.values().forEach(t -> out.add(t.toRecord()));
        return out;
    }

    public long count(String status) {
        return trials.values().stream().filter(t -> t.status().equals(status)).count();
    }

    public SweepState apply(SupervisorEvent event) {
        if (event instanceof SweepStarted e) {
            return new SweepState(e.sweep(), true, cancelled, e.maxAttempts(), trials, queue, paused, extended);
        } else if (event instanceof TrialQueued e) {
            Map<String, TrialEntry> t = copy();
            t.put(e.spec().trialId(), TrialEntry.queued(e.spec()));
            List<String> q = new ArrayList<>(queue);
            q.add(e.spec().trialId());
            return with(t, q);
        } else if (event instanceof TrialRequeued e) {
            return replace(e.trialId(), trial(e.trialId()).interrupted(), true);
        } else if (event instanceof TrialAssigned e) {
            Map<String, TrialEntry> t = copy();
            t.put(e.trialId(), trial(e.trialId()).assigned(e.attempt(), e.worker(), e.atMillis()));
            List<String> q = new ArrayList<>(queue);
            q.remove(e.trialId());
            return with(t, q);
        } else if (event instanceof TrialProgressed e) {
            return replace(e.trialId(), trial(e.trialId()).progressed(e.metrics()), false);
        } else if (event instanceof TrialCheckpointed e) {
            return replace(e.trialId(), trial(e.trialId()).checkpointed(e.epoch(), e.path(), e.sha256()), false);
        } else if (event instanceof TrialCompleted e) {
            return removeFromQueue(replace(e.trialId(),
                    trial(e.trialId()).completed(e.result(), e.artifact(), e.atMillis()), false), e.trialId());
        } else if (event instanceof TrialFailed e) {
            return replace(e.trialId(), trial(e.trialId()).failed(e.error(), e.permanent(), e.epoch()), !e.permanent());
        } else if (event instanceof TrialCheckpointDiscarded e) {
            return replace(e.trialId(), trial(e.trialId()).checkpointed(0, null, null), false);
        } else if (event instanceof TrialCancelled e) {
            return removeFromQueue(replace(e.trialId(),
                    trial(e.trialId()).withStatus(TrialRecord.CANCELLED, null), false), e.trialId());
        } else if (event instanceof SweepCancelled) {
            Map<String, TrialEntry> t = copy();
            t.replaceAll((id, entry) -> entry.terminal() ? entry : entry.withStatus(TrialRecord.CANCELLED, null));
            return new SweepState(sweep, started, true, maxAttempts, Collections.unmodifiableMap(t), List.of(), paused,
                    extended);
        } else if (event instanceof SweepPaused) {
            return new SweepState(sweep, started, cancelled, maxAttempts, trials, queue, true, extended);
        } else if (event instanceof SweepResumed) {
            return new SweepState(sweep, started, cancelled, maxAttempts, trials, queue, false, extended);
        } else if (event instanceof SweepExtended e) {
            Map<String, TrialEntry> t = copy();
            List<String> q = new ArrayList<>(queue);
            List<String> ext = new ArrayList<>(extended);
            for (var spec : e.trials()) {
                if (t.putIfAbsent(spec.trialId(), TrialEntry.queued(spec)) == null) {
                    q.add(spec.trialId());
                    ext.add(spec.trialId());
                }
            }
            return new SweepState(sweep, started, cancelled, maxAttempts, Collections.unmodifiableMap(t),
                    Collections.unmodifiableList(q), paused, Collections.unmodifiableList(ext));
        }
        throw new IllegalArgumentException("unknown event " + event);
    }

    private SweepState replace(String trialId, TrialEntry entry, boolean requeueFront) {
        Map<String, TrialEntry> t = copy();
        t.put(trialId, entry);
        List<String> q = queue;
        if (requeueFront && !queue.contains(trialId)) {
            q = new ArrayList<>(queue.size() + 1);
            q.add(trialId);
            q.addAll(queue);
        }
        return with(t, q);
    }

    private SweepState removeFromQueue(SweepState s, String trialId) {
        if (!s.queue.contains(trialId)) {
            return s;
        }
        List<String> q = new ArrayList<>(s.queue);
        q.remove(trialId);
        return s.with(s.trials, q);
    }

    private Map<String, TrialEntry> copy() {
        return new LinkedHashMap<>(trials);
    }

    private SweepState with(Map<String, TrialEntry> t, List<String> q) {
        return new SweepState(sweep, started, cancelled, maxAttempts, Collections.unmodifiableMap(t),
                Collections.unmodifiableList(q), paused, extended);
    }
}
