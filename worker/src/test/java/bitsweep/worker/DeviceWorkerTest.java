package bitsweep.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.cluster.ClusterConfig;
import bitsweep.protocol.FileOffer;
import bitsweep.protocol.FileTransfer;
import bitsweep.protocol.SupervisorProtocol.TrialCheckpoint;
import bitsweep.protocol.SupervisorProtocol.TrialProgress;
import bitsweep.protocol.SupervisorProtocol.TrialSucceeded;
import bitsweep.protocol.SupervisorProtocol;
import bitsweep.protocol.WorkerProtocol;
import bitsweep.sweep.TrialSpec;
import bitsweep.trial.TrialConfig;
import bitsweep.worker.sim.SimulatedTrialRunner;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's protocol with a probe as supervisor and the real simulated trainer. */
class DeviceWorkerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ActorTestKit kit;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("worker-test", ClusterConfig.node().set("pekko.actor.provider", "local")
                .set("pekko.actor.serialize-messages", "on")
                .set("bitsweep.worker.heartbeat-interval", "200ms").build());
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    private static TrialSpec spec(String id, int epochs) throws Exception {
        TrialConfig c = JSON.readValue("{\"experiment\":\"mnist\",\"epochs\":" + epochs + ",\"checkpoint-every\":1}",
                TrialConfig.class);
        return new TrialSpec(id, "s", "pruning", Map.of(), c);
    }

    private ActorRef<WorkerProtocol.Command> worker(SimulatedTrialRunner.Settings s, String name) {
        return kit.spawn(DeviceWorker.create(name, "cpu()", new SimulatedTrialRunner(s), dir.resolve(name),
                new AssignmentLatency(100)));
    }

    /** Receives until a message of {@code type} arrives; the others are collected into {@code seen}. */
    private static <T> T until(TestProbe<SupervisorProtocol.Command> p, Class<T> type,
                               List<SupervisorProtocol.Command> seen) {
        while (true) {
            SupervisorProtocol.Command m = p.receiveMessage(Duration.ofSeconds(10));
            if (type.isInstance(m)) {
                return type.cast(m);
            }
            seen.add(m);
        }
    }

    private Path pull(FileOffer offer) throws Exception {
        Path target = dir.resolve("pulled").resolve(offer.name());
        return FileTransfer.receive(offer, target, kit.system(), Runnable::run).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private List<bitsweep.trial.EpochMetrics> history(TrialSucceeded done) throws Exception {
        FileOffer json = done.files().stream().filter(f -> f.name().equals("result.json")).findFirst().orElseThrow();
        return JSON.readValue(pull(json).toFile(), bitsweep.trial.TrialResult.class).history();
    }

    @Test
    void asksWhenSupervisorAppearsRunsTrialStreamsProgressCheckpointsAndResultThenAsksAgain() throws Exception {
        var sup = kit.createTestProbe(SupervisorProtocol.Command.class);
        var w = worker(SimulatedTrialRunner.Settings.durations(150, 150), "w-run");
        w.tell(new WorkerProtocol.SupervisorAvailable(sup.ref()));
        sup.expectMessageClass(SupervisorProtocol.WorkerReady.class);
        w.tell(new WorkerProtocol.AssignTrial("a", 1, spec("a", 3), null, 0));
        List<SupervisorProtocol.Command> seen = new ArrayList<>();
        TrialSucceeded done = until(sup, TrialSucceeded.class, seen);
        assertEquals(List.of(1, 2, 3), seen.stream().filter(TrialProgress.class::isInstance)
                .map(m -> ((TrialProgress) m).metrics().epoch()).toList());
        List<TrialCheckpoint> ckpts = seen.stream().filter(TrialCheckpoint.class::isInstance)
                .map(TrialCheckpoint.class::cast).toList();
        assertEquals(List.of(1, 2), ckpts.stream().map(TrialCheckpoint::epoch).toList());
        assertNull(done.result().history(), "the history travels in result.json, not in the message");
        assertEquals(3, history(done).size());
        assertEquals("artifact.json", done.artifactName());
        FileOffer artifactOffer = done.files().stream().filter(f -> f.name().equals("artifact.json")).findFirst()
                .orElseThrow();
        var artifact = JSON.readValue(pull(artifactOffer).toFile(), SimulatedTrialRunner.Artifact.class);
        assertEquals(1, artifact.startedAtEpoch());
        sup.expectMessageClass(SupervisorProtocol.WorkerReady.class); // pulls the next trial by itself
    }

    @Test
    void stagedCheckpointCopiesOlderThanThePreviousEpochAreDeleted(@org.junit.jupiter.api.io.TempDir Path outbox)
            throws Exception {
        for (int epoch = 1; epoch <= 5; epoch++) {
            Files.writeString(outbox.resolve("checkpoint-epoch-" + epoch + ".ckpt"), "e" + epoch);
        }
        Files.writeString(outbox.resolve("result.json"), "{}");
        DeviceWorker.pruneOutbox(outbox, 5);
        try (var left = Files.list(outbox)) {
            assertEquals(java.util.Set.of("checkpoint-epoch-4.ckpt", "checkpoint-epoch-5.ckpt", "result.json"),
                    left.map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
    }

    @Test
    void resumesFromTheCheckpointItIsGiven() throws Exception {
        var sup = kit.createTestProbe(SupervisorProtocol.Command.class);
        var first = worker(SimulatedTrialRunner.Settings.durations(90, 90), "w-first");
        first.tell(new WorkerProtocol.SupervisorAvailable(sup.ref()));
        sup.expectMessageClass(SupervisorProtocol.WorkerReady.class);
        first.tell(new WorkerProtocol.AssignTrial("r", 1, spec("r", 3), null, 0));
        List<SupervisorProtocol.Command> seen = new ArrayList<>();
        until(sup, TrialSucceeded.class, seen);
        TrialCheckpoint epoch2 = seen.stream().filter(TrialCheckpoint.class::isInstance).map(TrialCheckpoint.class::cast)
                .filter(c -> c.epoch() == 2).findFirst().orElseThrow();
        Path ckpt = pull(epoch2.file());

        var sup2 = kit.createTestProbe(SupervisorProtocol.Command.class);
        var second = worker(SimulatedTrialRunner.Settings.durations(90, 90), "w-second");
        second.tell(new WorkerProtocol.SupervisorAvailable(sup2.ref()));
        sup2.expectMessageClass(SupervisorProtocol.WorkerReady.class);
        second.tell(new WorkerProtocol.AssignTrial("r", 2, spec("r", 3),
                FileTransfer.offer(ckpt, "checkpoint-epoch-2.ckpt", kit.system()), 2));
        List<SupervisorProtocol.Command> seen2 = new ArrayList<>();
        TrialSucceeded done = until(sup2, TrialSucceeded.class, seen2);
        assertEquals(List.of(3), seen2.stream().filter(TrialProgress.class::isInstance)
                .map(m -> ((TrialProgress) m).metrics().epoch()).toList());
        assertEquals(3, history(done).size()); // epochs 1-2 came from the checkpoint
        var artifact = JSON.readValue(pull(done.files().stream().filter(f -> f.name().equals("artifact.json"))
                .findFirst().orElseThrow()).toFile(), SimulatedTrialRunner.Artifact.class);
        assertEquals(3, artifact.startedAtEpoch());
    }

    @Test
    void answersStatusWhileTrainingAndStopsOnCancel() throws Exception {
        var sup = kit.createTestProbe(SupervisorProtocol.Command.class);
        var w = worker(SimulatedTrialRunner.Settings.durations(10, 10).hanging(Set.of("h")), "w-hang");
        w.tell(new WorkerProtocol.SupervisorAvailable(sup.ref()));
        sup.expectMessageClass(SupervisorProtocol.WorkerReady.class);
        w.tell(new WorkerProtocol.AssignTrial("h", 1, spec("h", 2), null, 0));
        var status = kit.createTestProbe(WorkerProtocol.WorkerStatus.class);
        Thread.sleep(100);
        w.tell(new WorkerProtocol.GetWorkerStatus(status.ref()));
        WorkerProtocol.WorkerStatus busy = status.receiveMessage(Duration.ofMillis(500)); // not blocked by training
        assertEquals("h", busy.trialId());
        w.tell(new WorkerProtocol.CancelTrial("h", "test"));
        List<SupervisorProtocol.Command> before = new ArrayList<>();
        until(sup, SupervisorProtocol.WorkerReady.class, before); // asks for new work
        assertTrue(before.stream().allMatch(m -> m instanceof TrialProgress || m instanceof SupervisorProtocol.TrialAlive
                || m instanceof TrialCheckpoint), "only progress before the new request: " + before);
        w.tell(new WorkerProtocol.GetWorkerStatus(status.ref()));
        assertNull(status.receiveMessage(Duration.ofSeconds(2)).trialId());
    }

    @Test
    void failingTrialIsReportedWithItsError() throws Exception {
        var sup = kit.createTestProbe(SupervisorProtocol.Command.class);
        var w = worker(SimulatedTrialRunner.Settings.durations(20, 20).failing(Set.of("f")), "w-fail");
        w.tell(new WorkerProtocol.SupervisorAvailable(sup.ref()));
        sup.expectMessageClass(SupervisorProtocol.WorkerReady.class);
        w.tell(new WorkerProtocol.AssignTrial("f", 1, spec("f", 2), null, 0));
        var failed = until(sup, SupervisorProtocol.TrialAttemptFailed.class, new ArrayList<>());
        assertEquals("simulated failure: loss became NaN at epoch 1", failed.error());
        assertEquals(1, failed.attempt());
        sup.expectMessageClass(SupervisorProtocol.WorkerReady.class);
        assertTrue(Files.isDirectory(dir.resolve("w-fail")));
    }

    private ActorRef<WorkerProtocol.Command> idleWorker(SimulatedTrialRunner.Settings s, String name,
                                                        TestProbe<SupervisorProtocol.Command> sup,
                                                        java.util.function.Consumer<String> onHung) {
        var w = kit.spawn(DeviceWorker.create(name, "cpu()", new SimulatedTrialRunner(s), dir.resolve(name),
                new AssignmentLatency(100), onHung));
        w.tell(new WorkerProtocol.SupervisorAvailable(sup.ref()));
        sup.expectMessageClass(SupervisorProtocol.WorkerReady.class);
        return w;
    }

    @Test
    void aCorruptResumeCheckpointRestartsTheAttemptFromEpochOneOnceAndSaysSo() throws Exception {
        var sup = kit.createTestProbe(SupervisorProtocol.Command.class);
        var w = idleWorker(SimulatedTrialRunner.Settings.durations(60, 60), "w-corrupt", sup, null);
        Path garbage = dir.resolve("garbage.ckpt");
        Files.writeString(garbage, "this is not a checkpoint");
        w.tell(new WorkerProtocol.AssignTrial("c", 4, spec("c", 3),
                FileTransfer.offer(garbage, "checkpoint-epoch-2.ckpt", kit.system()), 2));
        var rejected = until(sup, SupervisorProtocol.CheckpointRejected.class, new ArrayList<>());
        assertEquals(4, rejected.attempt());
        assertEquals(2, rejected.epoch());
        assertTrue(rejected.reason().contains("cannot read checkpoint"), rejected.reason());
        List<SupervisorProtocol.Command> seen = new ArrayList<>();
        TrialSucceeded done = until(sup, TrialSucceeded.class, seen);
        assertEquals(4, done.attempt(), "the same attempt, started over");
        assertEquals(List.of(1, 2, 3), seen.stream().filter(TrialProgress.class::isInstance)
                .map(m -> ((TrialProgress) m).metrics().epoch()).toList());
        var artifact = JSON.readValue(pull(done.files().stream().filter(f -> f.name().equals("artifact.json"))
                .findFirst().orElseThrow()).toFile(), SimulatedTrialRunner.Artifact.class);
        assertEquals(1, artifact.startedAtEpoch());
    }

    @Test
    void heartbeatsFlowWhileTheTrainerAdvancesAndStopWhenItDoesNot() throws Exception {
        var sup = kit.createTestProbe(SupervisorProtocol.Command.class);
        var w = idleWorker(SimulatedTrialRunner.Settings.durations(1500, 1500).hanging(Set.of("silent")), "w-hb",
                sup, null);
        w.tell(new WorkerProtocol.AssignTrial("busy", 1, spec("busy", 1), null, 0));
        var alive = until(sup, SupervisorProtocol.TrialAlive.class, new ArrayList<>());
        assertEquals("busy", alive.trialId());
        assertTrue(alive.steps() > 0);
        until(sup, TrialSucceeded.class, new ArrayList<>());
        sup.expectMessageClass(SupervisorProtocol.WorkerReady.class);
        w.tell(new WorkerProtocol.AssignTrial("silent", 1, spec("silent", 1), null, 0));
        sup.expectNoMessage(Duration.ofMillis(1000)); // five heartbeat intervals: not one heartbeat
        w.tell(new WorkerProtocol.CancelTrial("silent", "test over"));
        sup.expectMessageClass(SupervisorProtocol.WorkerReady.class);
    }

    @Test
    void anAbortedTrainerThatDoesNotStopWithinTheGraceIsHung() throws Exception {
        var sup = kit.createTestProbe(SupervisorProtocol.Command.class);
        var hung = new java.util.concurrent.CompletableFuture<String>();
        var w = idleWorker(SimulatedTrialRunner.Settings.durations(10, 10).stuck(Set.of("stuck")), "w-stuck", sup,
                hung::complete);
        w.tell(new WorkerProtocol.AssignTrial("stuck", 1, spec("stuck", 1), null, 0));
        Thread.sleep(200);
        w.tell(new WorkerProtocol.AbortAttempt("stuck", 1, "no progress for 10m00s", 300));
        String reason = hung.get(5, TimeUnit.SECONDS);
        assertTrue(reason.contains("did not stop after it was aborted (no progress for 10m00s)"), reason);
    }

    @Test
    void inASharedJvmAHungTrainersThreadIsAbandonedAndTheWorkerAsksAgain() throws Exception {
        var sup = kit.createTestProbe(SupervisorProtocol.Command.class);
        var w = idleWorker(SimulatedTrialRunner.Settings.durations(50, 50).stuck(Set.of("stuck")), "w-abandon", sup,
                null);
        w.tell(new WorkerProtocol.AssignTrial("stuck", 1, spec("stuck", 1), null, 0));
        w.tell(new WorkerProtocol.AbortAttempt("stuck", 1, "test", 200));
        until(sup, SupervisorProtocol.WorkerReady.class, new ArrayList<>());
        w.tell(new WorkerProtocol.AssignTrial("next", 1, spec("next", 1), null, 0));
        assertEquals("next", until(sup, TrialSucceeded.class, new ArrayList<>()).trialId(), "a new thread trains");
    }

    @Test
    void aBusyWorkerHandsASecondAssignmentBack() throws Exception {
        var sup = kit.createTestProbe(SupervisorProtocol.Command.class);
        var w = idleWorker(SimulatedTrialRunner.Settings.durations(500, 500), "w-busy", sup, null);
        w.tell(new WorkerProtocol.AssignTrial("one", 1, spec("one", 1), null, 0));
        w.tell(new WorkerProtocol.AssignTrial("two", 3, spec("two", 1), null, 0));
        var back = until(sup, SupervisorProtocol.TrialHandedBack.class, new ArrayList<>());
        assertEquals("two", back.trialId());
        assertEquals(3, back.attempt());
        assertEquals("one", until(sup, TrialSucceeded.class, new ArrayList<>()).trialId());
    }

    @Test
    void aTrialIdThatIsNotASafeFolderNameIsRefused() throws Exception {
        var sup = kit.createTestProbe(SupervisorProtocol.Command.class);
        var w = idleWorker(SimulatedTrialRunner.Settings.durations(10, 10), "w-unsafe", sup, null);
        w.tell(new WorkerProtocol.AssignTrial("..", 1, spec("..", 1), null, 0));
        var failed = until(sup, SupervisorProtocol.TrialAttemptFailed.class, new ArrayList<>());
        assertEquals("trial id is not a safe file name", failed.error());
        assertTrue(!Files.exists(dir.resolve("w-unsafe").getParent().resolve("attempt-1")));
        assertTrue(DeviceWorker.validTrialId("mu0.05-pruning-s0-9b32afd872"));
        for (String bad : List.of("..", ".", ".hidden", "a/b", "a\\b", "")) {
            assertTrue(!DeviceWorker.validTrialId(bad), bad);
        }
    }
}
