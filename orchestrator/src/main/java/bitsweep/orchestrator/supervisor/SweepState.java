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
import bitsweep.sweep.TrialStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sweep as the journal knows it: every trial's entry plus the queue order. Immutable, because
 * Pekko hands the same object to the snapshot store and the trials.jsonl writer on other threads while
 * the supervisor moves on; structurally shared ({@link TrialMap}, {@link TrialQueue}), so applying an
 * event costs O(log N), not a copy of every trial (a 100,000-trial sweep stays cheap per event).
 * Snapshots keep their format: {@code trials} and {@code queue} are written as a plain map and list.
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
        trials = TrialMap.of(trials == null ? Map.of() : trials); // snapshots and tests hand in plain maps
        queue = TrialQueue.of(queue == null ? List.of() : queue);
        extended = extended == null ? List.of() : extended; // snapshots taken before extensions existed
    }

    public static SweepState empty() {
        return new SweepState(null, false, false, 3, TrialMap.empty(), TrialQueue.empty(), false, List.of());
    }

    public TrialEntry trial(String trialId) {
        return trials.get(trialId);
    }

    /** Every trial has ended (O(1): counted as events are applied). */
    public boolean allTerminal() {
        return started && map().terminalCount() == trials.size();
    }

    public List<TrialRecord> records() {
        List<TrialRecord> out = new ArrayList<>(trials.size());
        trials.values().forEach(t -> out.add(t.toRecord()));
        return out;
    }

    /** How many trials have {@code status} (O(1)). */
    public long count(TrialStatus status) {
        return map().count(status);
    }

    /** The mean wall time of the trials with a result, for ETAs (O(1)); NaN while none has one. */
    public double meanTrialSeconds() {
        return map().meanResultSeconds();
    }

    private TrialMap map() {
        return (TrialMap) trials;
    }

    private TrialQueue q() {
        return (TrialQueue) queue;
    }

    public SweepState apply(SupervisorEvent event) {
        if (event instanceof SweepStarted e) {
            return new SweepState(e.sweep(), true, cancelled, e.maxAttempts(), trials, queue, paused, extended);
        } else if (event instanceof TrialQueued e) {
            return with(map().with(e.spec().trialId(), TrialEntry.queued(e.spec())), q().withLast(e.spec().trialId()));
        } else if (event instanceof TrialRequeued e) {
            return replace(e.trialId(), trial(e.trialId()).interrupted(), true);
        } else if (event instanceof TrialAssigned e) {
            return with(map().with(e.trialId(), trial(e.trialId()).assigned(e.attempt(), e.worker(), e.atMillis())),
                    q().without(e.trialId()));
        } else if (event instanceof TrialProgressed e) {
            return replace(e.trialId(), trial(e.trialId()).progressed(e.metrics()), false);
        } else if (event instanceof TrialCheckpointed e) {
            return replace(e.trialId(), trial(e.trialId()).checkpointed(e.epoch(), e.path(), e.sha256()), false);
        } else if (event instanceof TrialCompleted e) {
            return with(map().with(e.trialId(), trial(e.trialId()).completed(e.result(), e.artifact(), e.atMillis())),
                    q().without(e.trialId()));
        } else if (event instanceof TrialFailed e) {
            return replace(e.trialId(), trial(e.trialId()).failed(e.error(), e.permanent(), e.epoch()), !e.permanent());
        } else if (event instanceof TrialCheckpointDiscarded e) {
            return replace(e.trialId(), trial(e.trialId()).checkpointed(0, null, null), false);
        } else if (event instanceof TrialCancelled e) {
            return with(map().with(e.trialId(), trial(e.trialId()).withStatus(TrialStatus.CANCELLED, null)),
                    q().without(e.trialId()));
        } else if (event instanceof SweepCancelled) {
            TrialMap t = map();
            for (TrialEntry entry : trials.values()) { // once per sweep: O(N) is fine
                if (!entry.terminal()) {
                    t = t.with(entry.spec().trialId(), entry.withStatus(TrialStatus.CANCELLED, null));
                }
            }
            return new SweepState(sweep, started, true, maxAttempts, t, TrialQueue.empty(), paused, extended);
        } else if (event instanceof SweepPaused) {
            return new SweepState(sweep, started, cancelled, maxAttempts, trials, queue, true, extended);
        } else if (event instanceof SweepResumed) {
            return new SweepState(sweep, started, cancelled, maxAttempts, trials, queue, false, extended);
        } else if (event instanceof SweepExtended e) {
            TrialMap t = map();
            TrialQueue q = q();
            List<String> ext = new ArrayList<>(extended);
            for (var spec : e.trials()) {
                if (!t.containsKey(spec.trialId())) {
                    t = t.with(spec.trialId(), TrialEntry.queued(spec));
                    q = q.withLast(spec.trialId());
                    ext.add(spec.trialId());
                }
            }
            return new SweepState(sweep, started, cancelled, maxAttempts, t, q, paused,
                    java.util.Collections.unmodifiableList(ext));
        }
        throw new IllegalArgumentException("unknown event " + event);
    }

    private SweepState replace(String trialId, TrialEntry entry, boolean requeueFront) {
        return with(map().with(trialId, entry), requeueFront ? q().withFirst(trialId) : q());
    }

    private SweepState with(TrialMap t, TrialQueue q) {
        return new SweepState(sweep, started, cancelled, maxAttempts, t, q, paused, extended);
    }
}
