package bitsweep.orchestrator.journal;

import bitsweep.cluster.ClusterConfig;
import bitsweep.orchestrator.supervisor.ArtifactReplica;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sweep's journal, opened for one orchestrator process: holds the results folder's lock (and, on
 * PostgreSQL, the sweep's advisory lock) until {@link #close}, after {@code --fresh} has deleted the earlier
 * run under those locks, and refuses folders of the old file journal. Open it before the actor system and
 * close it after the system has terminated.
 */
public final class SweepJournal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SweepJournal.class);

    private final JournalStore store;
    private final String persistenceId;
    private final List<AutoCloseable> locks;

    private SweepJournal(JournalStore store, String persistenceId, List<AutoCloseable> locks) {
        this.store = store;
        this.persistenceId = persistenceId;
        this.locks = locks;
    }

    /**
     * @param persistenceId the supervisor's persistence id (one per sweep)
     * @param fresh         delete the earlier run (its folder and, on PostgreSQL, its events) first
     */
    public static SweepJournal open(JournalStore store, String persistenceId, Path resultsDir, boolean fresh)
            throws IOException {
        return open(store, persistenceId, resultsDir, fresh, false);
    }

    /**
     * @param standby on PostgreSQL: wait for the sweep's lock (its holder is the active orchestrator) instead of
     *                being refused; this process becomes the active one when the holder's session ends
     */
    public static SweepJournal open(JournalStore store, String persistenceId, Path resultsDir, boolean fresh,
                                    boolean standby) throws IOException {
        if (standby && !(store instanceof JournalStore.Postgres)) {
            throw new IllegalArgumentException("--standby needs the journal in PostgreSQL (--journal "
                    + "postgresql://HOST:PORT/DB): a standby must read the active orchestrator's journal");
        }
        if (standby && fresh) {
            throw new IllegalArgumentException("--standby and --fresh exclude each other: a standby takes over a "
                    + "running sweep, it never starts one over");
        }
        if (fresh && Files.isDirectory(resultsDir) && !looksLikeResults(resultsDir)) {
            throw new IOException("--fresh: " + resultsDir + " does not look like a BitSweep results folder "
                    + "(no journal/ or trials.jsonl); refusing to delete it");
        }
        List<AutoCloseable> locks = new ArrayList<>();
        try {
            locks.add(FolderLock.acquire(resultsDir)); // before --fresh deletes anything
            if (store instanceof JournalStore.Postgres pg) {
                // the sweep is now run by someone else: stop before this process writes anything more
                Runnable onLost = () -> Runtime.getRuntime().halt(2);
                locks.add(standby ? PostgresLock.await(pg, persistenceId, onLost)
                        : PostgresLock.acquire(pg, persistenceId, onLost));
                JournalSchema.ensure(pg);
            }
            if (fresh) {
                deleteEarlierRun(resultsDir);
                if (store instanceof JournalStore.Postgres pg) {
                    log.info("--fresh: deleting the events and snapshots of {} in {}", persistenceId, pg.describe());
                    JournalSchema.deleteSweep(pg, persistenceId);
                }
            }
            OldFileJournal.refuseIfPresent(resultsDir);
            Files.createDirectories(resultsDir.resolve("logs"));
            log.info("journal: {}", store.describe());
            return new SweepJournal(store, persistenceId, locks);
        } catch (InterruptedException e) {
            closeAll(locks);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting as a standby for sweep " + persistenceId, e);
        } catch (SQLException e) {
            closeAll(locks);
            throw new IllegalStateException("journal " + store.describe() + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            closeAll(locks);
            throw e;
        }
    }

    public JournalStore store() {
        return store;
    }

    /**
     * Where checkpoints and result files are copied so that they outlive this machine's disk: the PostgreSQL
     * database of the journal; none for the embedded journal (it lives on that disk itself).
     */
    public ArtifactReplica artifactReplica() {
        return store instanceof JournalStore.Postgres pg ? new PostgresArtifacts(pg, persistenceId)
                : ArtifactReplica.NONE;
    }

    /** Points the node's configuration at this journal. */
    public ClusterConfig configure(ClusterConfig config) {
        return store.configure(config);
    }

    private static boolean looksLikeResults(Path dir) {
        return Files.exists(dir.resolve("journal")) || Files.exists(dir.resolve("trials.jsonl"))
                || Files.exists(dir.resolve(FolderLock.FILE));
    }

    /** Everything in the folder except the lock file, which this process holds. */
    private static void deleteEarlierRun(Path resultsDir) throws IOException {
        log.info("--fresh: deleting the contents of {}", resultsDir);
        Path lock = resultsDir.resolve(FolderLock.FILE);
        try (Stream<Path> walk = Files.walk(resultsDir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(lock) && !p.equals(resultsDir)) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void closeAll(List<AutoCloseable> locks) {
        for (int i = locks.size() - 1; i >= 0; i--) {
            try {
                locks.get(i).close();
            } catch (Exception e) {
                log.warn("releasing a journal lock failed", e);
            }
        }
    }

    @Override
    public void close() {
        if (store instanceof JournalStore.Embedded embedded) {
            compact(embedded);
        }
        closeAll(locks);
    }

    /**
     * H2 keeps the pages of every replaced snapshot in its file until it compacts (1.7 GB for a 100,000-trial
     * sweep whose events and two kept snapshots are 145 MB); {@code SHUTDOWN COMPACT} rewrites the file to what
     * is live. Called once the actor system has terminated, under the folder's lock, so nothing else writes;
     * a failure leaves the file as it was.
     */
    static void compact(JournalStore.Embedded store) {
        Path file = store.databaseFile();
        if (!Files.exists(file)) {
            return;
        }
        long before = sizeOf(file);
        long started = System.nanoTime();
        try (Connection c = DriverManager.getConnection(store.jdbcUrl(), "", "");
             Statement statement = c.createStatement()) {
            statement.execute("SHUTDOWN COMPACT");
        } catch (SQLException e) {
            log.warn("could not compact the journal {} ({}); it keeps its size", file, e.getMessage());
            return;
        }
        long after = sizeOf(file);
        if (before - after >= 1 << 20) {
            log.info("journal compacted: {} MiB -> {} MiB in {} ms", before >> 20, after >> 20,
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
