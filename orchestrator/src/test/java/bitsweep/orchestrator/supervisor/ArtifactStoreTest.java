package bitsweep.orchestrator.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.protocol.FileOffer;
import bitsweep.protocol.FileTransfer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Result files of an attempt stay invisible until it is accepted, and no folder is made or removed per attempt. */
class ArtifactStoreTest {
    private static ActorTestKit kit;
    private static ExecutorService executor;
    @TempDir
    Path results;

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("artifact-store-test");
        executor = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        kit.shutdownTestKit();
        executor.shutdown();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }

    private ArtifactStore store() {
        Executor blocking = executor;
        return new ArtifactStore(results, kit.system(), blocking);
    }

    private static FileOffer inline(String name, String content) throws Exception {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        return FileTransfer.offerInline(name, bytes, sha);
    }

    private List<String> trialFolder() throws IOException {
        return folder("t-1");
    }

    @Test
    void receivedResultFilesWaitUnderAttemptNamesAndBecomeTheTrialsOnlyWhenPromoted() throws Exception {
        var store = store();
        store.receiveResult("t-1", 2, List.of(inline("result.json", "{\"top1\":98}"), inline("model.bin", "weights")))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(List.of(".attempt-02.model.bin", ".attempt-02.result.json"), trialFolder());

        assertEquals("trials/t-1/model.bin", store.promoteResult("t-1", 2, "model.bin"));

        assertEquals(List.of("model.bin", "result.json"), trialFolder(), "no folder and no leftover per attempt");
        assertEquals("{\"top1\":98}", Files.readString(results.resolve("trials/t-1/result.json")));
    }

    @Test
    void discardingAStaleAttemptDeletesOnlyItsOwnFiles() throws Exception {
        var store = store();
        store.receiveResult("t-1", 1, List.of(inline("result.json", "old"))).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        store.receiveResult("t-1", 2, List.of(inline("result.json", "new"))).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        store.promoteResult("t-1", 2, null);

        store.discardResult("t-1", 1);

        assertEquals(List.of("result.json"), trialFolder());
        assertEquals("new", Files.readString(results.resolve("trials/t-1/result.json")));
    }

    @Test
    void discardAlsoRemovesTheAttemptFolderOfAnEarlierVersionsLayout() throws Exception {
        Path legacy = results.resolve("trials/t-1/incoming/attempt-03");
        Files.createDirectories(legacy);
        Files.writeString(legacy.resolve("result.json"), "half");

        store().discardResult("t-1", 3);

        assertFalse(Files.exists(legacy));
    }

    @Test
    void promotingAResultWhoseArtifactWasNotSentFailsAndKeepsTheTrialFolderAsItWas() throws Exception {
        var store = store();
        store.receiveResult("t-1", 1, List.of(inline("result.json", "r"))).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);

        var e = assertThrows(IOException.class, () -> store.promoteResult("t-1", 1, "model.onnx"));

        assertTrue(e.getMessage().contains("model.onnx"), e.getMessage());
        assertEquals(List.of(".attempt-01.result.json"), trialFolder());
    }

    @Test
    void afterACrashTheAcceptedAttemptsFilesLeftUnderIncomingNamesArePromotedAndNothingElse() throws Exception {
        // The journal says t0 completed with attempt 2 and artifact model.bin, but the promoting renames never
        // reached the disk; t1 completed and was promoted; t2 still runs attempt 1, whose result is arriving.
        SweepState state = SweepState.empty().apply(new SupervisorEvent.SweepStarted("s", 3, 0));
        for (var spec : TestSweeps.sweep("s", 3, 3).trials()) {
            state = state.apply(new SupervisorEvent.TrialQueued(spec));
        }
        state = state.apply(new SupervisorEvent.TrialAssigned("t0", 1, "w", 1))
                .apply(new SupervisorEvent.TrialRequeued("t0", "worker lost"))
                .apply(new SupervisorEvent.TrialAssigned("t0", 2, "w", 2))
                .apply(new SupervisorEvent.TrialCompleted("t0", null, "trials/t0/model.bin", 3))
                .apply(new SupervisorEvent.TrialAssigned("t1", 1, "w", 4))
                .apply(new SupervisorEvent.TrialCompleted("t1", null, null, 5))
                .apply(new SupervisorEvent.TrialAssigned("t2", 1, "w", 6));
        var store = store();
        for (String[] f : new String[][]{{"t0", ".attempt-01.result.json", "stale"},
                {"t0", ".attempt-02.result.json", "accepted"}, {"t0", ".attempt-02.model.bin", "weights"},
                {"t1", "result.json", "done"}, {"t2", ".attempt-01.result.json", "arriving"}}) {
            Files.createDirectories(results.resolve("trials/" + f[0]));
            Files.writeString(results.resolve("trials/" + f[0] + "/" + f[1]), f[2]);
        }

        assertEquals(1, store.finishPromotions(state));

        assertEquals(List.of(".attempt-01.result.json", "model.bin", "result.json"), folder("t0"),
                "the accepted attempt's files promoted, a stale attempt's left to discard");
        assertEquals("accepted", Files.readString(results.resolve("trials/t0/result.json")));
        assertEquals("weights", Files.readString(results.resolve("trials/t0/model.bin")));
        assertEquals(List.of("result.json"), folder("t1"));
        assertEquals(List.of(".attempt-01.result.json"), folder("t2"), "a running trial's arrival is not touched");
        assertEquals(0, store.finishPromotions(state), "nothing left to repair");
    }

    private List<String> folder(String trialId) throws IOException {
        try (Stream<Path> files = Files.list(results.resolve("trials/" + trialId))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
