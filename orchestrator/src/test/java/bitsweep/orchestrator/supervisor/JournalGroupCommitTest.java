package bitsweep.orchestrator.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.cluster.ClusterConfig;
import bitsweep.protocol.SupervisorProtocol;
import bitsweep.protocol.WorkerProtocol.AssignTrial;
import bitsweep.protocol.WorkerProtocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.JournalOperation;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.ProcessingPolicy;
import org.apache.pekko.persistence.testkit.ProcessingResult;
import org.apache.pekko.persistence.testkit.ProcessingSuccess$;
import org.apache.pekko.persistence.testkit.WriteEvents;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit (JournalBatch): commands that arrive while a journal write is in flight are journaled
 * together by the next write, and what the supervisor tells workers keeps the order it decided it in.
 * The journal is Pekko's test journal with a policy that records every write's size and can hold a
 * write until the test releases it, so the batches are deterministic.
 */
class JournalGroupCommitTest {
    @TempDir
    Path results;
    private ActorTestKit kit;
    private final HeldJournal journal = new HeldJournal();

    @BeforeEach
    void start() {
        kit = ActorTestKit.create("group-commit-test", PersistenceTestKitPlugin.getInstance().config()
                .withFallback(PersistenceTestKitSnapshotPlugin.config())
                .withFallback(ClusterConfig.node().journalUnder(results)
                        .set("pekko.actor.provider", "local")
                        .set("pekko.actor.serialize-messages", "on")
                        .build()));
        PersistenceTestKit.create(kit.system()).withPolicy(journal);
    }

    @AfterEach
    void stop() {
        journal.release();
        kit.shutdownTestKit();
    }

    @Test
    void requestsThatArriveDuringAWriteAreJournaledTogetherByTheNextWrite() throws Exception {
        var sup = supervisor(20);
        journal.awaitWrites(1); // SweepStarted and the 20 TrialQueued
        journal.hold();
        List<TestProbe<WorkerProtocol.Command>> workers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            workers.add(kit.createTestProbe(WorkerProtocol.Command.class));
        }
        ask(sup, workers.get(0));
        journal.awaitHeld(); // the first worker's assignment is being written
        for (int i = 1; i < 8; i++) {
            ask(sup, workers.get(i));
        }
        journal.release();

        Set<String> trials = new HashSet<>();
        for (var w : workers) {
            trials.add(w.expectMessageClass(AssignTrial.class, Duration.ofSeconds(5)).trialId());
        }
        assertEquals(8, trials.size(), "every worker got its own trial: " + trials);
        assertEquals(List.of(21, 1, 7), journal.sizes(), "the 7 requests that waited share one write");
        var status = status(sup);
        assertEquals(3, status.journalWrites(), "the start, the first request, the other seven");
        assertEquals(29, status.journalEvents());
    }

    @Test
    void aCancelDecidedInTheSameBatchReachesTheWorkerAfterTheAssignmentItCancels() throws Exception {
        var sup = supervisor(4);
        journal.awaitWrites(1);
        journal.hold();
        var first = kit.createTestProbe(WorkerProtocol.Command.class);
        var second = kit.createTestProbe(WorkerProtocol.Command.class);
        ask(sup, first);
        journal.awaitHeld(); // t0 to the first worker, in flight
        ask(sup, second); // t1 to the second worker: decided in the next batch, sent after its write ...
        var reply = kit.createTestProbe(SupervisorProtocol.ControlReply.class);
        sup.tell(new SupervisorProtocol.CancelTrial("t1", reply.ref())); // ... and cancelled in the same batch
        journal.release();

        assertEquals("t0", first.expectMessageClass(AssignTrial.class, Duration.ofSeconds(5)).trialId());
        var m1 = second.receiveMessage(Duration.ofSeconds(5));
        var m2 = second.receiveMessage(Duration.ofSeconds(5));
        assertEquals("t1", assertInstanceOf(AssignTrial.class, m1, "the assignment first").trialId());
        assertEquals("t1", assertInstanceOf(WorkerProtocol.CancelTrial.class, m2, "then its cancel").trialId());
        assertTrue(reply.receiveMessage(Duration.ofSeconds(5)).accepted());
        assertEquals(List.of(5, 1, 2), journal.sizes(), "the assignment and its cancel share one write");
    }

    private ActorRef<SupervisorProtocol.Command> supervisor(int trials) {
        return kit.spawn(Supervisor.create(SupervisorSettings.of(TestSweeps.sweep("gc", trials, 3), results)
                .withStatusInterval(Duration.ofSeconds(60))));
    }

    private static void ask(ActorRef<SupervisorProtocol.Command> sup, TestProbe<WorkerProtocol.Command> w) {
        sup.tell(new SupervisorProtocol.WorkerReady(w.ref(), w.ref().path().name(), "cpu()", 0));
    }

    private SupervisorProtocol.SweepStatus status(ActorRef<SupervisorProtocol.Command> sup) {
        var p = kit.createTestProbe(SupervisorProtocol.SweepStatus.class);
        sup.tell(new SupervisorProtocol.GetStatus(p.ref()));
        return p.receiveMessage(Duration.ofSeconds(5));
    }

    /** Records each write's event count; while held, the next write waits (in the journal) for release. */
    private static final class HeldJournal implements ProcessingPolicy<JournalOperation> {
        private final List<Integer> sizes = new CopyOnWriteArrayList<>();
        private final AtomicReference<CountDownLatch> gate = new AtomicReference<>();
        private final CountDownLatch entered = new CountDownLatch(1);

        @Override
        public ProcessingResult tryProcess(String persistenceId, JournalOperation op) {
            if (op instanceof WriteEvents w) {
                CountDownLatch g = gate.get();
                if (g != null) {
                    entered.countDown();
                    await(g);
                }
                sizes.add(w.getBatch().size());
            }
            return ProcessingSuccess$.MODULE$;
        }

        void hold() {
            gate.set(new CountDownLatch(1));
        }

        void release() {
            CountDownLatch g = gate.getAndSet(null);
            if (g != null) {
                g.countDown();
            }
        }

        void awaitHeld() throws InterruptedException {
            assertTrue(entered.await(5, TimeUnit.SECONDS), "a write reached the held journal");
        }

        void awaitWrites(int n) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (sizes.size() < n && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertTrue(sizes.size() >= n, "journal writes: " + sizes);
        }

        List<Integer> sizes() {
            return List.copyOf(sizes);
        }

        private static void await(CountDownLatch g) {
            try {
                g.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
