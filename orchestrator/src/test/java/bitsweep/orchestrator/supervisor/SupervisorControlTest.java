package bitsweep.orchestrator.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.cluster.ClusterConfig;
import bitsweep.protocol.LiveView;
import bitsweep.protocol.SupervisorProtocol.ControlReply;
import bitsweep.protocol.SupervisorProtocol;
import bitsweep.protocol.WorkerProtocol.AssignTrial;
import bitsweep.protocol.WorkerProtocol;
import bitsweep.sweep.Sweep;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pause, resume, extend and cancel as the API sends them, answered and journaled (they outlive a restart). */
class SupervisorControlTest {
    @TempDir
    Path results;
    private ActorTestKit kit;
    private final Map<ActorRef<WorkerProtocol.Command>, Integer> seen = new HashMap<>();

    private ActorTestKit kit() {
        if (kit == null) {
            kit = ActorTestKit.create("control-test", ClusterConfig.node().journalUnder(results)
                    .set("pekko.actor.provider", "local")
                    .set("pekko.actor.serialize-messages", "on") // every protocol message must survive CBOR
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

    private ActorRef<SupervisorProtocol.Command> supervisor(Sweep sweep) {
        return kit().spawn(Supervisor.create(SupervisorSettings.of(sweep, results).withHook(c -> { })
                .withStatusInterval(Duration.ofSeconds(60))));
    }

    private void ask(ActorRef<SupervisorProtocol.Command> sup, TestProbe<WorkerProtocol.Command> w) {
        sup.tell(new SupervisorProtocol.WorkerReady(w.ref(), "w", "cpu()", seen.getOrDefault(w.ref(), 0)));
    }

    private AssignTrial expectAssignment(TestProbe<WorkerProtocol.Command> w) {
        AssignTrial a = w.expectMessageClass(AssignTrial.class, Duration.ofSeconds(20));
        seen.merge(w.ref(), 1, Integer::sum);
        return a;
    }

    private ControlReply control(java.util.function.Function<ActorRef<ControlReply>, SupervisorProtocol.Command> c,
                                 ActorRef<SupervisorProtocol.Command> sup) {
        TestProbe<ControlReply> p = kit().createTestProbe(ControlReply.class);
        sup.tell(c.apply(p.ref()));
        return p.receiveMessage(Duration.ofSeconds(20));
    }

    private LiveView view(ActorRef<SupervisorProtocol.Command> sup) {
        TestProbe<LiveView> p = kit().createTestProbe(LiveView.class);
        sup.tell(new SupervisorProtocol.GetLiveView(p.ref()));
        return p.receiveMessage(Duration.ofSeconds(20));
    }

    @Test
    void aPausedSweepHandsOutNothingUntilResumedAndStaysPausedAcrossARestart() throws Exception {
        Sweep sweep = TestSweeps.sweep("pause", 2, 3);
        var sup = supervisor(sweep);
        var pause = control(SupervisorProtocol.PauseSweep::new, sup);
        assertTrue(pause.accepted(), pause.message());
        var w = kit().createTestProbe(WorkerProtocol.Command.class);
        ask(sup, w);
        w.expectNoMessage(Duration.ofMillis(300));

        kit().stop(sup, Duration.ofSeconds(20));
        var restarted = supervisor(sweep);
        assertTrue(view(restarted).paused(), "the pause is in the journal");
        var w2 = kit().createTestProbe(WorkerProtocol.Command.class);
        ask(restarted, w2);
        w2.expectNoMessage(Duration.ofMillis(300));
        assertTrue(control(SupervisorProtocol.ResumeSweep::new, restarted).accepted());
        assertEquals("t0", expectAssignment(w2).trialId());
        List<String> types = view(restarted).events().stream().map(LiveView.Event::type).toList();
        assertTrue(types.contains("SweepPaused") && types.contains("SweepResumed"), types.toString());
        List<Long> seqs = view(restarted).events().stream().map(LiveView.Event::seq).toList();
        assertEquals(seqs.stream().distinct().sorted().toList(), seqs, "each journal event once, in order");
    }

    @Test
    void anExtensionIsAnsweredWithItsNewTrialsWhichAreHandedOutAndSurviveARestart() throws Exception {
        Sweep sweep = TestSweeps.sweep("extend", 1, 3);
        var sup = supervisor(sweep);
        var reply = control(r -> new SupervisorProtocol.ExtendSweep(List.of(), List.of(9L), r), sup);
        assertTrue(reply.accepted(), reply.message());
        assertEquals(1, reply.trialIds().size());
        String added = reply.trialIds().get(0);
        assertFalse(control(r -> new SupervisorProtocol.ExtendSweep(List.of(), List.of(9L), r), sup).accepted(),
                "the same values again add nothing");
        var bad = control(r -> new SupervisorProtocol.ExtendSweep(List.of(-2.0), List.of(), r), sup);
        assertEquals("MU must be a finite number >= 0, got -2.0", bad.message());

        kit().stop(sup, Duration.ofSeconds(20));
        var restarted = supervisor(sweep);
        LiveView v = view(restarted);
        assertEquals(List.of("t0", added), v.trials().stream().map(LiveView.Trial::trialId).toList());
        var w = kit().createTestProbe(WorkerProtocol.Command.class);
        ask(restarted, w);
        assertEquals("t0", expectAssignment(w).trialId());
        var w2 = kit().createTestProbe(WorkerProtocol.Command.class);
        ask(restarted, w2);
        AssignTrial second = expectAssignment(w2);
        assertEquals(added, second.trialId());
        assertEquals(9L, second.spec().config().seed());
    }

    @Test
    void cancellingARunningTrialStopsItOnItsWorkerAnswersAndOutlivesARestart() throws Exception {
        Sweep sweep = TestSweeps.sweep("cancel", 2, 3);
        var sup = supervisor(sweep);
        var w = kit().createTestProbe(WorkerProtocol.Command.class);
        ask(sup, w);
        assertEquals("t0", expectAssignment(w).trialId());
        var reply = control(r -> new SupervisorProtocol.CancelTrial("t0", r), sup);
        assertTrue(reply.accepted());
        assertEquals("t0", w.expectMessageClass(WorkerProtocol.CancelTrial.class).trialId());
        assertFalse(control(r -> new SupervisorProtocol.CancelTrial("t0", r), sup).accepted());

        kit().stop(sup, Duration.ofSeconds(20));
        var restarted = supervisor(sweep);
        assertEquals(TrialStatus.CANCELLED, view(restarted).trials().get(0).status());
        var w2 = kit().createTestProbe(WorkerProtocol.Command.class);
        ask(restarted, w2);
        assertEquals("t1", expectAssignment(w2).trialId(), "the cancelled trial is not run again");
    }
}
