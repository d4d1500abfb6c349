package bitsweep.orchestrator.supervisor;

import bitsweep.io.AtomicFiles;
import bitsweep.io.FileTrees;
import bitsweep.io.SafeNames;
import bitsweep.protocol.FileOffer;
import bitsweep.protocol.FileTransfer;
import bitsweep.sweep.TrialStatus;
import bitsweep.trial.TrialResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
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
 * trials/&lt;id&gt;/.attempt-NN.&lt;name&gt;                          result files while they arrive
 * trials/&lt;id&gt;/result.json, &lt;artifact&gt;                     the accepted attempt's result
 * </pre>
 * Per-attempt names mean a late or stale transfer can never overwrite or delete a file the journal
 * points to; result files become visible only when the supervisor accepts their attempt. Safe names never
 * start with a dot, so an incoming name never collides with a result file. Incoming files sit beside the
 * results rather than in a folder per attempt: on ext4 a directory's creation and removal cost far more than
 * a rename (about 0.6 ms of kernel time each on the development VM), and this ran once per trial.
 *
 * <p>With a {@link ArtifactReplica} (PostgreSQL journal) every received file is also copied there before the
 * supervisor hears it arrived, so no journal event ever names a file that exists only on this disk; result files
 * are copied under the key {@code trials/<id>/incoming/attempt-NN/<name>} (the folder layout of earlier versions,
 * kept so that their copies still restore), and {@link #restoreMissing} maps the accepted attempt's back.
 */
public final class ArtifactStore {
    private static final Logger log = LoggerFactory.getLogger(ArtifactStore.class);

    private final Path root;
    private final ClassicActorSystemProvider system;
    private final Executor blocking;
    private final ArtifactReplica replica;

    public ArtifactStore(Path resultsDir, ClassicActorSystemProvider system, Executor blocking) {
        this(resultsDir, system, blocking, ArtifactReplica.NONE);
    }

    public ArtifactStore(Path resultsDir, ClassicActorSystemProvider system, Executor blocking,
                         ArtifactReplica replica) {
        this.root = resultsDir;
        this.system = system;
        this.blocking = blocking;
        this.replica = replica;
    }

    public boolean replicated() {
        return replica != ArtifactReplica.NONE;
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
        return FileTransfer.receive(offer, root.resolve(rel), system, blocking)
                .thenApplyAsync(p -> {
                    try {
                        copyOff(rel, p);
                    } catch (RuntimeException e) {
                        deleteQuietly(rel); // no event will name it
                        throw e;
                    }
                    return rel;
                }, blocking);
    }

    /** Pulls an attempt's result files in under their incoming names; nothing is visible to readers yet. */
    public CompletionStage<Void> receiveResult(String trialId, int attempt, List<FileOffer> files) {
        Path dir = root.resolve(trialDir(trialId));
        List<CompletableFuture<Path>> transfers = new ArrayList<>();
        for (FileOffer f : files) {
            // receive() refuses a name that is not one safe path element before any byte moves
            transfers.add(FileTransfer.receive(f, dir.resolve(incomingName(attempt, f.name())), system, blocking)
                    .toCompletableFuture());
        }
        return CompletableFuture.allOf(transfers.toArray(new CompletableFuture[0])).thenRunAsync(() -> {
            for (int i = 0; i < files.size(); i++) {
                copyOff(replicaKey(trialId, attempt, files.get(i).name()), transfers.get(i).join());
            }
        }, blocking);
    }

    private void copyOff(String relative, Path file) {
        if (!replicated()) {
            return;
        }
        try {
            replica.put(relative, file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // fails the transfer: the attempt is retried, nothing is lost
        }
    }

    /**
     * After a journal replay (blocking; run it on the blocking executor): copies back from the replica every
     * file the journal names that is not on this disk — each unfinished trial's latest checkpoint and the
     * accepted result files of completed trials. Returns how many files were restored.
     */
    public int restoreMissing(SweepState state) throws IOException {
        if (!replicated()) {
            return 0;
        }
        List<String> copies = replica.list();
        int restored = 0;
        for (TrialEntry t : state.trials().values()) {
            String id = t.spec().trialId();
            String ckpt = t.checkpointPath();
            // a finished trial's checkpoint is never offered again: not worth the transfer
            if (ckpt != null && !t.terminal() && !readable(ckpt) && replica.get(ckpt, root.resolve(ckpt))) {
                restored++;
            }
            if (t.status() == TrialStatus.COMPLETED) {
                String accepted = replicaKey(id, t.attempts(), "");
                for (String c : copies) {
                    if (c.startsWith(accepted)) {
                        Path target = root.resolve(trialDir(id)).resolve(c.substring(accepted.length()));
                        if (!Files.exists(target) && replica.get(c, target)) {
                            restored++;
                        }
                    }
                }
            }
        }
        return restored;
    }

    /**
     * After a journal replay (blocking; run it on the blocking executor): promotes the accepted attempt's result
     * files of every completed trial that still wait under their incoming names. The promoting renames precede the
     * journal write that records the completion, but a rename is durable only once the file system has written the
     * folder, which nothing forces: after a power loss the journal can name a result whose files were never
     * renamed. One or two {@code stat} calls per completed trial; returns how many trials were repaired.
     */
    public int finishPromotions(SweepState state) throws IOException {
        int repaired = 0;
        for (TrialEntry t : state.trials().values()) {
            if (t.status() != TrialStatus.COMPLETED) {
                continue;
            }
            String id = t.spec().trialId();
            Path dir = root.resolve(trialDir(id));
            boolean artifactThere = t.artifact() == null || Files.exists(root.resolve(t.artifact()));
            if (artifactThere && Files.exists(dir.resolve(TrialResult.FILE_NAME))) {
                continue;
            }
            if (!incomingFiles(dir, t.attempts()).isEmpty()) {
                promoteResult(id, t.attempts(), null);
                AtomicFiles.syncDirectory(dir);
                log.info("trial {}: promoted the result files of attempt {} that a crash left under their incoming "
                        + "names", id, t.attempts());
                repaired++;
            }
        }
        return repaired;
    }

    /**
     * Makes an accepted attempt's result files the trial's (renames within one file system: cheap and
     * atomic per file) and returns the artifact's path relative to the results folder, or null.
     */
    public String promoteResult(String trialId, int attempt, String artifactName) throws IOException {
        Path dir = root.resolve(trialDir(trialId));
        if (artifactName != null && !Files.isRegularFile(dir.resolve(incomingName(attempt,
                SafeNames.require("artifact name", artifactName))))) {
            throw new IOException("the result names artifact '" + artifactName + "' but no such file was sent");
        }
        for (Path f : incomingFiles(dir, attempt)) {
            String name = f.getFileName().toString().substring(incomingName(attempt, "").length());
            Files.move(f, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return artifactName == null ? null : trialDir(trialId) + "/" + artifactName;
    }

    /** Drops what a rejected (stale) attempt sent. */
    public void discardResult(String trialId, int attempt) {
        Path dir = root.resolve(trialDir(trialId));
        try {
            for (Path f : incomingFiles(dir, attempt)) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            log.debug("could not delete all incoming files of attempt {} in {}: {}", attempt, dir, e.toString());
        }
        // a sweep started by an earlier version may still have the attempt's folder
        Path legacy = dir.resolve(String.format("incoming/attempt-%02d", attempt));
        if (Files.exists(legacy) && !FileTrees.deleteQuietly(legacy)) {
            log.debug("could not delete all of {}", legacy);
        }
        forgetCopies(replicaKey(trialId, attempt, ""), true);
    }

    /** The files of {@code attempt} that arrived in {@code dir} and are not accepted yet. */
    private static List<Path> incomingFiles(Path dir, int attempt) throws IOException {
        String prefix = incomingName(attempt, "");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            // AtomicFiles' temporary files start with two dots, so they never match
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList();
        }
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
        forgetCopies(relative, false);
    }

    /** The replica's copy goes too, in the background; one left behind only costs space. */
    private void forgetCopies(String relative, boolean under) {
        if (!replicated()) {
            return;
        }
        CompletableFuture.runAsync(() -> {
            try {
                if (under) {
                    replica.deleteUnder(relative);
                } else {
                    replica.delete(relative);
                }
            } catch (IOException e) {
                log.debug("could not delete the copy of {}: {}", relative, e.toString());
            }
        }, blocking);
    }

    /** Where a result file of {@code attempt} waits in its trial's folder until the attempt is accepted. */
    static String incomingName(int attempt, String name) {
        return String.format(".attempt-%02d.", attempt) + name;
    }

    /** The replica's key of an incoming result file (or, with an empty name, of all of an attempt's). */
    private static String replicaKey(String trialId, int attempt, String name) {
        return trialDir(trialId) + "/incoming/" + String.format("attempt-%02d", attempt) + "/" + name;
    }
}
