package bitsweep.orchestrator.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.cluster.ClusterConfig;
import bitsweep.orchestrator.report.SweepCompletion;
import bitsweep.protocol.FileOffer;
import bitsweep.protocol.FileTransfer;
import bitsweep.protocol.SupervisorProtocol;
import bitsweep.protocol.WorkerProtocol.AssignTrial;
import bitsweep.protocol.WorkerProtocol;
import bitsweep.sweep.Sweep;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import bitsweep.trial.EpochMetrics;
import bitsweep.trial.TrialResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor's protocol, driven by test probes standing in for remote workers. */
class SupervisorTest {
    @TempDir
    Path results;
    @TempDir
    Path offers;
    private ActorTestKit kit;

    private ActorTestKit kit() {
        if (kit == null) {
            kit = ActorTestKit.create("supervisor-test", ClusterConfig.node().journalUnder(results)
                    .set("pekko.actor.provider", "local")
                    .set("pekko.actor.serialize-messages", "on") // every protocol message must survive CBOR
                    .set(Supervisor.ABORT_GRACE, "500ms")
                    .build());
        }
        return kit;
    }

    @AfterEach
    void shutdown() {
        if (kit != null) {
            kit.shutdownTestKit();
        }
    }

    private final CompletableFuture<SweepCompletion> completed = new CompletableFuture<>();

    private ActorRef<SupervisorProtocol.Command> supervisor(Sweep sweep) {
        return kit().spawn(Supervisor.create(SupervisorSettings.of(sweep, results)
                .withHook(completed::complete).withStatusInterval(Duration.ofSeconds(60))));
    }

    private TestProbe<WorkerProtocol.Command> worker() {
        return kit().createTestProbe(WorkerProtocol.Command.class);
    }

    /** Assignments each probe received: what a real worker reports as assignmentsSeen when it asks. */
    private final Map<ActorRef<WorkerProtocol.Command>, Integer> seen = new java.util.HashMap<>();

    private void ask(ActorRef<SupervisorProtocol.Command> sup, TestProbe<WorkerProtocol.Command> w) {
        sup.tell(new SupervisorProtocol.WorkerReady(w.ref(), w.ref().path().name(), "cpu()",
                seen.getOrDefault(w.ref(), 0)));
    }

    private AssignTrial expectAssignment(TestProbe<WorkerProtocol.Command> w) {
        AssignTrial a = w.expectMessageClass(AssignTrial.class, Duration.ofSeconds(5));
        seen.merge(w.ref(), 1, Integer::sum);
        return a;
    }

    /** A fresh worker asks for the next trial and completes it. */
    private void completeNextTrial(ActorRef<SupervisorProtocol.Command> sup) throws Exception {
        var w = worker();
        ask(sup, w);
        succeed(sup, w, expectAssignment(w));
    }

    private FileOffer offer(String name, String content) throws Exception {
        Path f = Files.createTempFile(offers, "offer", ".bin");
        Files.writeString(f, content);
        return FileTransfer.offer(f, name, kit().system());
    }

    private void succeed(ActorRef<SupervisorProtocol.Command> sup, TestProbe<WorkerProtocol.Command> w,
                         AssignTrial a) throws Exception {
        succeedWith(sup, w, a, 98.5, 12.0);
    }

    private SupervisorProtocol.SweepStatus status(ActorRef<SupervisorProtocol.Command> sup) {
        TestProbe<SupervisorProtocol.SweepStatus> p = kit().createTestProbe(SupervisorProtocol.SweepStatus.class);
        sup.tell(new SupervisorProtocol.GetStatus(p.ref()));
        return p.receiveMessage(Duration.ofSeconds(5));
    }

    private SupervisorProtocol.SweepStatus awaitStatus(ActorRef<SupervisorProtocol.Command> sup,
                                                       java.util.function.Predicate<SupervisorProtocol.SweepStatus> p)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        SupervisorProtocol.SweepStatus s = status(sup);
        while (!p.test(s) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            s = status(sup);
        }
        return s;
    }

    private static TrialRecord record(SupervisorProtocol.SweepStatus s, String id) {
        return s.trials().stream().filter(t -> t.spec().trialId().equals(id)).findFirst().orElseThrow();
    }

    private void succeedWith(ActorRef<SupervisorProtocol.Command> sup, TestProbe<WorkerProtocol.Command> w,
                             AssignTrial a, double top1, double relativeBops) throws Exception {
        TrialResult r = new TrialResult(a.trialId(), a.spec().config(), List.of(), top1, relativeBops, 0.01,
                List.of(), Map.of(), "artifact.json", 0.1);
        sup.tell(new SupervisorProtocol.TrialSucceeded(a.trialId(), a.attempt(), r,
                List.of(offer("result.json", "{}"), offer("artifact.json", "artifact of " + a.trialId())),
                "artifact.json", w.ref()));
    }

    @Test
    void finishedGridGetsRefinementTrialAtTheGeometricMidpointMuUpToTheBudget() throws Exception {
        Sweep sweep = bitsweep.sweep.SweepParser.parse("""
                name: refine
                experiment: mnist
                base: {epochs: 1}
                method: grid
                parameters:
                  gating-lambda: {values: [0.01, 0.1]}
                refine: {extra-trials: 1}
                """, Path.of("refine.yaml"), Map.of());
        var sup = supervisor(sweep);
        var w = worker();
        ask(sup, w);
        AssignTrial low = expectAssignment(w);
        succeedWith(sup, w, low, 99.0, low.spec().config().gatingLambda() < 0.05 ? 2.0 : 0.5);
        ask(sup, w);
        AssignTrial high = expectAssignment(w);
        succeedWith(sup, w, high, 97.0, high.spec().config().gatingLambda() < 0.05 ? 2.0 : 0.5);
        // both grid points are on the frontier: the gap between them gets MU = sqrt(0.01 * 0.1)
        ask(sup, w);
        AssignTrial extra = expectAssignment(w);
        assertEquals(0.03162, extra.spec().config().gatingLambda(), 1e-9);
        assertTrue(!extra.trialId().equals(low.trialId()) && !extra.trialId().equals(high.trialId()));
        succeedWith(sup, w, extra, 98.5, 1.0);
        SweepCompletion done = completed.get(10, TimeUnit.SECONDS);
        assertEquals(3, done.count(TrialStatus.COMPLETED), "budget of one extra trial: " + done.trials());
        ask(sup, w);
        w.expectNoMessage(Duration.ofMillis(300));
        assertTrue(Files.exists(results.resolve("frontier.json")), "interim frontier written before refining");
    }

    @Test
    void idleWorkerGetsOneTrialAndAParkedRequestIsServedWhenWorkReturns() throws Exception {
        var sup = supervisor(TestSweeps.sweep("assign", 2, 3));
        var w1 = worker();
        var w2 = worker();
        var w3 = worker();
        ask(sup, w1);
        AssignTrial a1 = expectAssignment(w1);
        ask(sup, w2);
        AssignTrial a2 = expectAssignment(w2);
        assertEquals(List.of("t0", "t1"), List.of(a1.trialId(), a2.trialId()));
        assertEquals(1, a1.attempt());
        ask(sup, w3); // nothing left: the request is parked, not answered
        w3.expectNoMessage(Duration.ofMillis(300));
        sup.tell(new SupervisorProtocol.TrialAttemptFailed("t0", 1, "CUDA out of memory", 1, w1.ref()));
        AssignTrial retry = expectAssignment(w3); // served from the parked request, no polling
        assertEquals("t0", retry.trialId());
        assertEquals(2, retry.attempt());
    }

    @Test
    void trialFailingMaxAttemptsTimesIsMarkedFailedWithLastErrorAndSweepCompletes() throws Exception {
        var sup = supervisor(TestSweeps.sweep("retry", 2, 3));
        var w = worker();
        var other = worker();
        ask(sup, other);
        AssignTrial ok = expectAssignment(other);
        assertEquals("t0", ok.trialId());
        for (int attempt = 1; attempt <= 3; attempt++) {
            ask(sup, w);
            AssignTrial a = expectAssignment(w);
            assertEquals("t1", a.trialId());
            assertEquals(attempt, a.attempt());
            sup.tell(new SupervisorProtocol.TrialAttemptFailed("t1", attempt, "NaN loss at epoch " + attempt, attempt,
                    w.ref()));
        }
        ask(sup, w);
        w.expectNoMessage(Duration.ofMillis(300)); // no fourth attempt
        succeed(sup, other, ok);
        SweepCompletion done = completed.get(10, TimeUnit.SECONDS);
        TrialRecord failed = done.trials().stream().filter(t -> t.spec().trialId().equals("t1")).findFirst()
                .orElseThrow();
        assertEquals(TrialStatus.FAILED, failed.status());
        assertEquals(3, failed.attempts());
        assertEquals("NaN loss at epoch 3", failed.error());
        assertEquals(1, done.count(TrialStatus.COMPLETED));
        assertEquals("artifact of t0", Files.readString(results.resolve("trials/t0/artifact.json")));
        List<TrialRecord> lines = TrialsFile.read(results.resolve(TrialsFile.NAME));
        assertEquals(List.of(TrialStatus.COMPLETED, TrialStatus.FAILED), lines.stream().map(TrialRecord::status).toList());
    }

    @Test
    void cancellingQueuedAndRunningTrials() throws Exception {
        var sup = supervisor(TestSweeps.sweep("cancel", 3, 3));
        var w = worker();
        ask(sup, w);
        AssignTrial a = expectAssignment(w);
        assertEquals("t0", a.trialId());
        sup.tell(new SupervisorProtocol.CancelTrial("t1")); // queued
        sup.tell(new SupervisorProtocol.CancelTrial("t0")); // running
        WorkerProtocol.CancelTrial cancel = w.expectMessageClass(WorkerProtocol.CancelTrial.class);
        assertEquals("t0", cancel.trialId());
        ask(sup, w); // the worker stopped and asks again: only t2 is left
        assertEquals("t2", expectAssignment(w).trialId());
        sup.tell(new SupervisorProtocol.CancelSweep());
        assertEquals("t2", w.expectMessageClass(WorkerProtocol.CancelTrial.class).trialId());
        SweepCompletion done = completed.get(10, TimeUnit.SECONDS);
        assertEquals(3, done.count(TrialStatus.CANCELLED));
        ask(sup, w);
        w.expectNoMessage(Duration.ofMillis(300));
    }

    @Test
    void lostWorkersTrialIsReassignedWithItsLatestCheckpoint() throws Exception {
        var sup = supervisor(TestSweeps.sweep("lost", 1, 3));
        var w1 = worker();
        ask(sup, w1);
        AssignTrial a = expectAssignment(w1);
        EpochMetrics m = new EpochMetrics(2, "bayesian-bits", 0.5, 0.4, 0.1, 97.0, 20.0, 0.1, List.of(), 1000, 1.0);
        sup.tell(new SupervisorProtocol.TrialProgress("t0", 1, m, w1.ref()));
        storeCheckpoint(sup, w1, "t0", 1, 2, "state after epoch 2");
        w1.stop(); // the worker dies
        var w2 = worker();
        ask(sup, w2);
        AssignTrial resumed = expectAssignment(w2);
        assertEquals("t0", resumed.trialId());
        assertEquals(2, resumed.attempt());
        assertEquals(2, resumed.checkpointEpoch());
        Path got = results.resolve("received.ckpt");
        FileTransfer.receive(resumed.checkpoint(), got, kit().system(), Runnable::run).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertEquals("state after epoch 2", Files.readString(got, StandardCharsets.UTF_8));
        assertNotNull(a);
    }

    @Test
    void afterRestartCompletedTrialsAreNeverReRunAndRunningOnesResumeFromCheckpoint() throws Exception {
        Sweep sweep = TestSweeps.sweep("recover", 3, 3);
        var sup = supervisor(sweep);
        completeNextTrial(sup);
        var w2 = worker();
        ask(sup, w2);
        AssignTrial t1 = expectAssignment(w2);
        assertEquals("t1", t1.trialId());
        storeCheckpoint(sup, w2, "t1", 1, 1, "t1 after epoch 1");
        awaitStatus(sup, s -> record(s, "t0").status().equals(TrialStatus.COMPLETED));
        kit().stop(sup, Duration.ofSeconds(5));

        var restarted = supervisor(sweep); // same persistence id, same journal database
        var w3 = worker();
        List<String> assigned = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ask(restarted, w3);
            AssignTrial a = expectAssignment(w3);
            assigned.add(a.trialId());
            if (a.trialId().equals("t1")) {
                assertEquals(1, a.checkpointEpoch());
                assertNotNull(a.checkpoint());
            } else {
                assertNull(a.checkpoint());
            }
            succeed(restarted, w3, a);
        }
        assertEquals(List.of("t1", "t2"), assigned); // the interrupted trial first, t0 never again
        SweepCompletion done = completed.get(10, TimeUnit.SECONDS);
        assertEquals(3, done.count(TrialStatus.COMPLETED));
        TrialRecord r0 = done.trials().get(0);
        assertEquals(1, r0.attempts());
        assertTrue(Files.exists(results.resolve("journal/bitsweep.mv.db")), "the embedded H2 journal");
    }

    @Test
    void aRestartedSupervisorPromotesAResultWhoseRenamesAPowerLossUndid() throws Exception {
        Sweep sweep = TestSweeps.sweep("power-loss", 2, 3);
        var sup = supervisor(sweep);
        completeNextTrial(sup);
        awaitStatus(sup, s -> record(s, "t0").status().equals(TrialStatus.COMPLETED));
        kit().stop(sup, Duration.ofSeconds(5));
        // The completion is in the journal, but the folder was never written after the promoting renames.
        Path dir = results.resolve("trials/t0");
        for (String name : List.of("result.json", "artifact.json")) {
            Files.move(dir.resolve(name), dir.resolve(".attempt-01." + name));
        }

        var restarted = supervisor(sweep);
        var w2 = worker();
        ask(restarted, w2); // answered only after the repair: no assignment before it
        assertEquals("t1", expectAssignment(w2).trialId());

        assertEquals("artifact of t0", Files.readString(dir.resolve("artifact.json")));
        assertTrue(Files.exists(dir.resolve("result.json")));
        assertFalse(Files.exists(dir.resolve(".attempt-01.result.json")));
    }

    /** Sends a checkpoint and waits until it is in the store and journaled; returns its stored path. */
    private Path storeCheckpoint(ActorRef<SupervisorProtocol.Command> sup, TestProbe<WorkerProtocol.Command> w,
                                 String trialId, int attempt, int epoch, String content) throws Exception {
        sup.tell(new SupervisorProtocol.TrialCheckpoint(trialId, attempt, epoch, offer("c.ckpt", content), w.ref()));
        Path stored = results.resolve(String.format("trials/%s/checkpoints/attempt-%02d-epoch-%04d.ckpt", trialId,
                attempt, epoch));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!Files.exists(stored) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(200); // the file landed; let the checkpoint event be persisted
        return stored;
    }

    private static void fail(ActorRef<SupervisorProtocol.Command> sup, TestProbe<WorkerProtocol.Command> w,
                             AssignTrial a, String error, int epoch) {
        sup.tell(new SupervisorProtocol.TrialAttemptFailed(a.trialId(), a.attempt(), error, epoch, w.ref()));
    }

    @Test
    void staleAttemptsResultCheckpointAndFailureAreIgnoredAndCounted() throws Exception {
        var sup = supervisor(TestSweeps.sweep("stale", 1, 3));
        var w1 = worker();
        var w2 = worker();
        var stranger = worker();
        ask(sup, w1);
        AssignTrial first = expectAssignment(w1);
        fail(sup, w1, first, "CUDA out of memory", 1);
        ask(sup, w2);
        AssignTrial second = expectAssignment(w2);
        assertEquals(2, second.attempt());
        // attempt 1 is stale now: whatever it still sends must change nothing
        sup.tell(new SupervisorProtocol.TrialCheckpoint("t0", 1, 2, offer("c.ckpt", "stale epoch 2"), w1.ref()));
        succeed(sup, w1, first);
        fail(sup, w1, first, "late failure", 2);
        // the current attempt number from a worker that does not run it
        sup.tell(new SupervisorProtocol.TrialAttemptFailed("t0", 2, "forged", 1, stranger.ref()));
        succeed(sup, stranger, second);
        SupervisorProtocol.SweepStatus s = awaitStatus(sup, st -> st.ignored() >= 5);
        assertEquals(5, s.ignored());
        TrialRecord t0 = record(s, "t0");
        assertEquals(TrialStatus.RUNNING, t0.status());
        assertEquals(2, t0.attempts());
        assertEquals("CUDA out of memory", t0.error(), "only the first failure counted");
        assertTrue(!Files.exists(results.resolve("trials/t0/result.json")), "no stale result was stored");
        try (var files = Files.walk(results.resolve("trials"))) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".ckpt")), "no stale checkpoint was stored");
        } catch (java.nio.file.NoSuchFileException e) {
            // nothing stored at all
        }
        succeed(sup, w2, second);
        SweepCompletion done = completed.get(10, TimeUnit.SECONDS);
        assertEquals(1, done.count(TrialStatus.COMPLETED));
        assertEquals("artifact of t0", Files.readString(results.resolve("trials/t0/artifact.json")));
    }

    @Test
    void aLateCheckpointOfAnOlderEpochNeverReplacesTheLatest() throws Exception {
        var sup = supervisor(TestSweeps.sweep("ckpt", 1, 3));
        var w = worker();
        ask(sup, w);
        AssignTrial a = expectAssignment(w);
        Path two = storeCheckpoint(sup, w, "t0", 1, 2, "epoch 2");
        sup.tell(new SupervisorProtocol.TrialCheckpoint("t0", 1, 1, offer("c.ckpt", "epoch 1, late"), w.ref()));
        Thread.sleep(300);
        fail(sup, w, a, "boom", 3);
        ask(sup, w);
        AssignTrial retry = expectAssignment(w);
        assertEquals(2, retry.checkpointEpoch());
        Path got = results.resolve("got.ckpt");
        FileTransfer.receive(retry.checkpoint(), got, kit().system(), Runnable::run).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertEquals("epoch 2", Files.readString(got));
        assertTrue(Files.exists(two));
    }

    @Test
    void aSilentAttemptIsAbortedAfterTheStallTimeoutAndRetriedElsewhere() throws Exception {
        var sup = kit().spawn(Supervisor.create(SupervisorSettings.of(
                TestSweeps.sweep("stall", 1, 3).withLimits(Duration.ofSeconds(1), null), results)
                .withHook(completed::complete).withStatusInterval(Duration.ofSeconds(60))));
        var hung = worker();
        var healthy = worker();
        ask(sup, hung);
        AssignTrial a = expectAssignment(hung);
        ask(sup, healthy); // parked
        long start = System.nanoTime();
        WorkerProtocol.AbortAttempt abort = hung.expectMessageClass(WorkerProtocol.AbortAttempt.class,
                Duration.ofSeconds(5));
        assertEquals(a.attempt(), abort.attempt());
        assertEquals(500, abort.graceMillis());
        assertTrue(abort.reason().contains("no progress"), abort.reason());
        AssignTrial retry = expectAssignment(healthy);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4), "within the stall timeout + a check");
        assertEquals(2, retry.attempt());
        // heartbeats keep the healthy attempt alive past the timeout
        for (int i = 0; i < 8; i++) {
            sup.tell(new SupervisorProtocol.TrialAlive("t0", 2, i + 1, healthy.ref()));
            Thread.sleep(250);
        }
        healthy.expectNoMessage(Duration.ofMillis(100));
        ask(sup, hung); // the aborted worker comes back idle: no double count
        succeed(sup, healthy, retry);
        SweepCompletion done = completed.get(10, TimeUnit.SECONDS);
        TrialRecord t0 = done.trials().get(0);
        assertEquals(TrialStatus.COMPLETED, t0.status());
        assertEquals(2, t0.attempts());
    }

    @Test
    void workerReportingIdleWhileRunningCountsAsAFailedAttempt() throws Exception {
        var sup = supervisor(TestSweeps.sweep("idle", 1, 2));
        var w = worker();
        for (int attempt = 1; attempt <= 2; attempt++) {
            ask(sup, w);
            assertEquals(attempt, expectAssignment(w).attempt());
        }
        ask(sup, w); // third time idle: two attempts lost, max-attempts 2
        SweepCompletion done = completed.get(10, TimeUnit.SECONDS);
        assertEquals(TrialStatus.FAILED, done.trials().get(0).status());
        assertTrue(done.trials().get(0).error().contains("reported idle"), done.trials().get(0).error());
        w.expectNoMessage(Duration.ofMillis(200));
    }

    @Test
    void aRequestThatCrossedAnAssignmentOnTheWireIsNotReadAsIdle() throws Exception {
        var sup = supervisor(TestSweeps.sweep("crossed", 2, 3));
        var w = worker();
        ask(sup, w);
        ask(sup, w); // a second ask in flight (e.g. a repeated introduction), sent before the assignment arrived
        AssignTrial a = expectAssignment(w);
        w.expectNoMessage(Duration.ofMillis(300)); // not a second trial, and t0 was not failed
        SupervisorProtocol.SweepStatus s = status(sup);
        assertEquals(TrialStatus.RUNNING, record(s, "t0").status());
        assertEquals(1, record(s, "t0").attempts());
        assertNull(record(s, "t0").error());
        succeed(sup, w, a);
        ask(sup, w);
        assertEquals("t1", expectAssignment(w).trialId());
    }

    @Test
    void handBacksAreNotFailuresButAreBounded() throws Exception {
        var sup = supervisor(TestSweeps.sweep("handback", 1, 1));
        var w = worker();
        for (int i = 0; i <= RetryPolicy.MAX_INTERRUPTIONS; i++) {
            ask(sup, w);
            AssignTrial a = expectAssignment(w);
            sup.tell(new SupervisorProtocol.TrialHandedBack("t0", a.attempt(), "worker shut down", w.ref()));
        }
        SweepCompletion done = completed.get(10, TimeUnit.SECONDS);
        TrialRecord t0 = done.trials().get(0);
        assertEquals(TrialStatus.FAILED, t0.status(), "max-attempts 1 was never used up by hand-backs");
        assertEquals(RetryPolicy.MAX_INTERRUPTIONS + 1, t0.attempts());
        assertTrue(t0.error().contains("interrupted 11 times"), t0.error());
    }

    @Test
    void aDeterministicNanFailsTheTrialOnTheSecondAttemptWithItsReason() throws Exception {
        var sup = supervisor(TestSweeps.sweep("nan", 1, 5));
        var w = worker();
        for (int attempt = 1; attempt <= 2; attempt++) {
            ask(sup, w);
            fail(sup, w, expectAssignment(w), "trial t0: loss became NaN at epoch 3 batch " + (10 + attempt), 3);
        }
        SweepCompletion done = completed.get(10, TimeUnit.SECONDS);
        TrialRecord t0 = done.trials().get(0);
        assertEquals(TrialStatus.FAILED, t0.status());
        assertEquals(2, t0.attempts(), "not retried up to max-attempts 5");
        assertTrue(t0.error().startsWith("deterministic failure") && t0.error().contains("NaN"), t0.error());
    }

    @Test
    void aRejectedCheckpointIsDiscardedAndLaterAttemptsStartFromEpochOne() throws Exception {
        var sup = supervisor(TestSweeps.sweep("corrupt", 1, 3));
        var w = worker();
        ask(sup, w);
        AssignTrial a = expectAssignment(w);
        Path stored = storeCheckpoint(sup, w, "t0", 1, 2, "epoch 2");
        fail(sup, w, a, "worker crashed", 3);
        ask(sup, w);
        AssignTrial resumed = expectAssignment(w);
        assertEquals(2, resumed.checkpointEpoch());
        sup.tell(new SupervisorProtocol.CheckpointRejected("t0", 2, 2, "not a checkpoint: bad zip header", w.ref()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (Files.exists(stored) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(!Files.exists(stored), "the unusable checkpoint is deleted");
        fail(sup, w, resumed, "worker crashed again", 1);
        ask(sup, w);
        AssignTrial third = expectAssignment(w);
        assertEquals(0, third.checkpointEpoch());
        assertNull(third.checkpoint());
    }

    @Test
    void anOversizedOrMisnamedResultIsRefusedTheAttemptRetriedAndTheSupervisorKeepsRunning() throws Exception {
        var sup = supervisor(TestSweeps.sweep("oversized", 1, 3));
        var w = worker();
        ask(sup, w);
        AssignTrial a = expectAssignment(w);
        FileOffer small = offer("result.json", "{}");
        // a worker (buggy or hostile) declares 10 GiB: refused before a byte is copied
        FileOffer huge = new FileOffer("artifact.json", 10L << 30, small.sha256(), offer("x", "x").source());
        TrialResult r = new TrialResult("t0", a.spec().config(), List.of(), 99, 1, 0.01, List.of(), Map.of(),
                "artifact.json", 1);
        sup.tell(new SupervisorProtocol.TrialSucceeded("t0", 1, r, List.of(small, huge), "artifact.json", w.ref()));
        ask(sup, w);
        AssignTrial second = expectAssignment(w);
        assertEquals(2, second.attempt());
        TrialRecord t0 = record(status(sup), "t0");
        assertTrue(t0.error().contains("result transfer failed") && t0.error().contains("10737418240"), t0.error());
        // a file name that would leave the trial's folder
        sup.tell(new SupervisorProtocol.TrialSucceeded("t0", 2, r, List.of(offer("../../escape.json", "{}")),
                null, w.ref()));
        ask(sup, w);
        AssignTrial third = expectAssignment(w);
        assertEquals(3, third.attempt());
        assertTrue(!Files.exists(results.resolve("escape.json")) && !Files.exists(results.getParent().resolve("escape.json")));
        succeed(sup, w, third);
        assertEquals(1, completed.get(10, TimeUnit.SECONDS).count(TrialStatus.COMPLETED));
    }

    @Test
    void aFinishedSweepRunAgainEndsAtOnceWithoutRunningAnything() throws Exception {
        Sweep sweep = TestSweeps.sweep("again", 1, 3);
        var sup = supervisor(sweep);
        var w = worker();
        ask(sup, w);
        succeed(sup, w, expectAssignment(w));
        completed.get(10, TimeUnit.SECONDS);
        kit().stop(sup, Duration.ofSeconds(5));

        CompletableFuture<SweepCompletion> again = new CompletableFuture<>();
        var restarted = kit().spawn(Supervisor.create(SupervisorSettings.of(sweep, results).withHook(again::complete)
                .withStatusInterval(Duration.ofSeconds(60))));
        SweepCompletion done = again.get(10, TimeUnit.SECONDS);
        assertEquals(1, done.count(TrialStatus.COMPLETED));
        var w2 = worker();
        ask(restarted, w2);
        w2.expectNoMessage(Duration.ofMillis(300));
    }
}
