package bitsweep.orchestrator.supervisor;

import bitsweep.trial.EpochMetrics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Who the supervisor knows, who is idle and which attempt each one runs — the in-memory half of
 * pull scheduling (the journal's {@link SweepState} is the durable half). Idle workers are served in
 * the order they asked. Generic in the worker's reference so it is tested without actors.
 */
public final class WorkerRegistry<W> {

    /** What the supervisor knows about one worker; never persisted. */
    public static final class Slot {
        String name;
        String device = "?";
        String trialId;
        int attempt;
        EpochMetrics lastEpoch;
        long progressPersistedNanos;
        int assignmentsSent;

        Slot(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        public String trialId() {
            return trialId;
        }

        public int attempt() {
            return attempt;
        }
    }

    /** One trial handed to one worker. */
    public record Assignment<W>(W worker, String trialId, int attempt) {
    }

    private final Map<W, Slot> workers = new LinkedHashMap<>();
    private final Set<W> idle = new LinkedHashSet<>();
    /** Workers seen dead; the receptionist may still list them for a moment. */
    private final Set<W> lost = new HashSet<>();

    public boolean knows(W w) {
        return workers.containsKey(w);
    }

    public boolean isLost(W w) {
        return lost.contains(w);
    }

    public Slot slot(W w) {
        return workers.get(w);
    }

    /** Adds {@code w} if new; returns its slot. */
    public Slot track(W w, String name) {
        return workers.computeIfAbsent(w, k -> new Slot(name));
    }

    public void idle(W w) {
        Slot s = workers.get(w);
        if (s != null) {
            s.trialId = null;
            idle.add(w);
        }
    }

    /** {@code w} now runs {@code attempt} of {@code trialId} (assigned, or adopted back after a restart). */
    public void running(W w, String trialId, int attempt) {
        Slot s = workers.get(w);
        idle.remove(w);
        s.trialId = trialId;
        s.attempt = attempt;
        s.lastEpoch = null;
        s.progressPersistedNanos = System.nanoTime();
    }

    /** Forgets what {@code w} runs if it is {@code trialId} (it reported the end, or was told to stop). */
    public void release(W w, String trialId) {
        Slot s = workers.get(w);
        if (s != null && trialId.equals(s.trialId)) {
            s.trialId = null;
        }
    }

    /** {@code w} died; returns what it knew of it, or null. */
    public Slot lose(W w) {
        idle.remove(w);
        lost.add(w);
        return workers.remove(w);
    }

    /**
     * Whether a request for work was sent before {@code w} received our latest assignment (it crossed it
     * on the wire). A fresh one brings the count up to date (after a restart we have sent nothing yet).
     */
    public boolean staleRequest(W w, int assignmentsSeen) {
        Slot s = workers.get(w);
        if (s == null) {
            return false;
        }
        if (assignmentsSeen < s.assignmentsSent) {
            return true;
        }
        s.assignmentsSent = assignmentsSeen;
        return false;
    }

    /** Whether {@code w} is the worker running exactly this attempt (the fencing check). */
    public boolean isCurrent(W w, String trialId, int attempt) {
        Slot s = workers.get(w);
        return s != null && trialId.equals(s.trialId) && s.attempt == attempt;
    }

    /** The worker that runs {@code trialId}, whatever the attempt. */
    public Optional<W> runnerOf(String trialId) {
        return workers.entrySet().stream().filter(e -> trialId.equals(e.getValue().trialId)).map(Map.Entry::getKey)
                .findFirst();
    }

    /**
     * Pairs idle workers with the queue's head, in order, and marks them running.
     *
     * @param nextAttempt the attempt number each trial would get
     */
    public List<Assignment<W>> plan(List<String> queue, ToIntFunction<String> nextAttempt) {
        List<Assignment<W>> out = new ArrayList<>();
        var q = queue.iterator();
        var it = idle.iterator();
        while (it.hasNext() && q.hasNext()) {
            W w = it.next();
            String trialId = q.next();
            it.remove();
            int attempt = nextAttempt.applyAsInt(trialId);
            running(w, trialId, attempt);
            workers.get(w).assignmentsSent++;
            out.add(new Assignment<>(w, trialId, attempt));
        }
        return out;
    }

    public int size() {
        return workers.size();
    }

    public Collection<Slot> slots() {
        return workers.values();
    }

    public Set<W> refs() {
        return workers.keySet();
    }

    /** Forgets everything (the supervisor rebuilt itself from its journal). */
    public void clear() {
        workers.clear();
        idle.clear();
        lost.clear();
    }
}
