package bitsweep.orchestrator.supervisor;

import bitsweep.io.SafeNames;
import bitsweep.protocol.FileOffer;
import bitsweep.protocol.FileTransfer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orchestrator's copy of every trial's files, under the results folder:
 * <pre>
 * trials/&lt;id&gt;/checkpoints/attempt-NN-epoch-EEEE.ckpt   checkpoints, one name per attempt and epoch
 * trials/&lt;id&gt;/incoming/attempt-NN/…                      result files while they arrive
 * trials/&lt;id&gt;/result.json, &lt;artifact&gt;                     the accepted attempt's result
 * </pre>
 * Per-attempt names mean a late or stale transfer can never overwrite or delete a file the journal
 * points to; result files become visible only when the supervisor accepts their attempt.
 */
public final class ArtifactStore {
    private static final Logger log = LoggerFactory.getLogger(ArtifactStore.class);

    private final Path root;
    private final ClassicActorSystemProvider system;
    private final Executor blocking;

    public ArtifactStore(Path resultsDir, ClassicActorSystemProvider system, Executor blocking) {
        this.root = resultsDir;
        this.system = system;
        this.blocking = blocking;
    }

    /**
     * Trial ids become directory names. They are checked, not sanitised: two ids that sanitise to one
     * name would share a folder. Sweep files only produce safe ids (see the sweep file's name rules).
     */
    public static String trialDir(String trialId) {
        return "trials/" + SafeNames.require("trial id", trialId);
    }

    static String checkpointPath(String trialId, int attempt, int epoch) {
        return trialDir(trialId) + "/checkpoints/" + String.format("attempt-%02d-epoch-%04d.ckpt", attempt, epoch);
    }

    /** Pulls a checkpoint into its per-attempt place; completes with the path relative to the results folder. */
    public CompletionStage<String> receiveCheckpoint(String trialId, int attempt, int epoch, FileOffer offer) {
        String rel = checkpointPath(trialId, attempt, epoch);
        return FileTransfer.receive(offer, root.resolve(rel), system, blocking).thenApply(p -> rel);
    }

    /** Pulls an attempt's result files into its incoming folder; nothing is visible to readers yet. */
    public CompletionStage<Void> receiveResult(String trialId, int attempt, List<FileOffer> files) {
        Path incoming = incoming(trialId, attempt);
        List<CompletableFuture<Path>> transfers = new ArrayList<>();
        for (FileOffer f : files) {
            // receive() refuses a name that is not one safe path element before any byte moves
            transfers.add(FileTransfer.receive(f, incoming.resolve(f.name()), system, blocking).toCompletableFuture());
        }
        return CompletableFuture.allOf(transfers.toArray(new CompletableFuture[0]));
    }

    /**
     * Makes an accepted attempt's result files the trial's (renames within one file system: cheap and
     * atomic per file) and returns the artifact's path relative to the results folder, or null.
     */
    public String promoteResult(String trialId, int attempt, String artifactName) throws IOException {
        if (artifactName != null && !Files.isRegularFile(incoming(trialId, attempt).resolve(
                SafeNames.require("artifact name", artifactName)))) {
            throw new IOException("the result names artifact '" + artifactName + "' but no such file was sent");
        }
        Path incoming = incoming(trialId, attempt);
        Path dir = root.resolve(trialDir(trialId));
        try (Stream<Path> files = Files.list(incoming)) {
            for (Path f : files.toList()) {
                Files.move(f, dir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        }
        deleteTree(incoming);
        return artifactName == null ? null : trialDir(trialId) + "/" + artifactName;
    }

    /** Drops what a rejected (stale) attempt sent. */
    public void discardResult(String trialId, int attempt) {
        deleteTree(incoming(trialId, attempt));
    }

    /** Offers a stored checkpoint to a worker; throws when the file is gone or unreadable. */
    public FileOffer offerCheckpoint(TrialEntry t) throws IOException {
        return FileTransfer.offer(root.resolve(t.checkpointPath()), "checkpoint-epoch-" + t.checkpointEpoch()
                + ".ckpt", t.checkpointSha(), system);
    }

    public boolean readable(String relative) {
        return relative != null && Files.isReadable(root.resolve(relative));
    }

    public void deleteQuietly(String relative) {
        try {
            Files.deleteIfExists(root.resolve(relative));
        } catch (IOException e) {
            log.debug("could not delete {}: {}", relative, e.toString());
        }
    }

    private Path incoming(String trialId, int attempt) {
        return root.resolve(trialDir(trialId)).resolve("incoming").resolve(String.format("attempt-%02d", attempt));
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.debug("could not delete {}: {}", dir, e.toString());
        }
    }
}
