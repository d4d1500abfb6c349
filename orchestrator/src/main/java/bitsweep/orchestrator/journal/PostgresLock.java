package bitsweep.orchestrator.journal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One orchestrator per sweep on a shared PostgreSQL database: a session-level advisory lock on a key derived
 * from the sweep's persistence id, held by a dedicated connection for the life of the process. PostgreSQL
 * drops it when that session ends (process killed, network cut), so there is no stale lock. If the
 * connection is lost (database restarted) a watchdog thread reconnects and takes the lock again; if another
 * orchestrator took it meanwhile, {@code onLost} runs (the caller ends the process).
 */
public final class PostgresLock implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PostgresLock.class);
    private static final long CHECK_SECONDS = 5;
    /** How often a standby asks for the lock. */
    private static final long STANDBY_POLL_MILLIS = 1000;
    /**
     * Server-side TCP keepalive of the lock's session: when this machine is lost (no FIN, no RST), PostgreSQL
     * probes the idle session after {@value #KEEPALIVE_IDLE_S} s, every {@value #KEEPALIVE_INTERVAL_S} s, and
     * ends it after {@value #KEEPALIVE_COUNT} unanswered probes (25 s after the last packet), releasing the lock;
     * a reply still unacknowledged when the machine went (the watchdog's check every {@value #CHECK_SECONDS} s)
     * is bounded by {@code tcp_user_timeout} ({@value #USER_TIMEOUT_MS} ms) instead. So a lost holder keeps the
     * lock at most about 30 s (Linux servers; other systems may ignore some of these settings).
     */
    static final int KEEPALIVE_IDLE_S = 10;
    static final int KEEPALIVE_INTERVAL_S = 5;
    static final int KEEPALIVE_COUNT = 3;
    static final int USER_TIMEOUT_MS = 30_000;

    private final JournalStore.Postgres store;
    private final String persistenceId;
    private final long key;
    private final Runnable onLost;
    private final ScheduledExecutorService watchdog;
    private Connection connection; // only the watchdog thread touches it after acquire()
    private boolean reportedDown;

    private PostgresLock(JournalStore.Postgres store, String persistenceId, Connection connection, Runnable onLost) {
        this.store = store;
        this.persistenceId = persistenceId;
        this.key = key(persistenceId);
        this.connection = connection;
        this.onLost = onLost;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bitsweep-journal-lock");
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleWithFixedDelay(this::check, CHECK_SECONDS, CHECK_SECONDS, TimeUnit.SECONDS);
    }

    /** Takes the sweep's lock or throws {@link SweepLockedException} naming the holder. */
    public static PostgresLock acquire(JournalStore.Postgres store, String persistenceId, Runnable onLost)
            throws SQLException {
        Connection c = connect(store);
        try {
            if (!tryLock(c, key(persistenceId))) {
                String holder = holder(c, key(persistenceId));
                throw new SweepLockedException("sweep " + persistenceId + " in " + store.describe() + " is in use by "
                        + "another orchestrator (" + holder + "): only one may run a sweep at a time; wait for it "
                        + "to finish or stop it");
            }
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        return new PostgresLock(store, persistenceId, c, onLost);
    }

    /**
     * A standby: waits until the sweep's lock is free (its holder ended, was killed or its machine was lost and
     * PostgreSQL ended its session) and takes it. Database errors while waiting are logged and retried.
     */
    public static PostgresLock await(JournalStore.Postgres store, String persistenceId, Runnable onLost)
            throws InterruptedException {
        long key = key(persistenceId);
        String lastHolder = null;
        boolean reportedDown = false;
        Connection probe = null; // one session for the whole wait, not one per poll
        try {
            while (true) {
                try {
                    if (probe == null) {
                        probe = connect(store);
                        reportedDown = false;
                    }
                    if (tryLock(probe, key)) { // this session now holds it: it becomes the lock's session
                        log.info("took the lock of sweep {}: this orchestrator is now the active one", persistenceId);
                        PostgresLock lock = new PostgresLock(store, persistenceId, probe, onLost);
                        probe = null;
                        return lock;
                    }
                    String holder = holder(probe, key);
                    if (!holder.equals(lastHolder)) {
                        log.info("standby for sweep {}, waiting for the active orchestrator ({})", persistenceId,
                                holder);
                        lastHolder = holder;
                    }
                } catch (SQLException e) {
                    closeQuietly(probe);
                    probe = null;
                    if (!reportedDown) {
                        log.warn("standby for sweep {}: {} unreachable ({}); retrying", persistenceId,
                                store.describe(), e.getMessage());
                        reportedDown = true;
                    }
                }
                Thread.sleep(STANDBY_POLL_MILLIS);
            }
        } finally {
            closeQuietly(probe); // interrupted while waiting
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                log.debug("closing a connection failed", e);
            }
        }
    }

    /** The advisory-lock key: the first 8 bytes of SHA-256 of the persistence id (stable across versions). */
    static long key(String persistenceId) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(
                    ("bitsweep-journal-lock|" + persistenceId).getBytes(StandardCharsets.UTF_8));
            long k = 0;
            for (int i = 0; i < 8; i++) {
                k = (k << 8) | (d[i] & 0xff);
            }
            return k;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Connection connect(JournalStore.Postgres store) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", store.user());
        p.setProperty("password", store.password());
        p.setProperty("connectTimeout", "10");
        // shows up in pg_stat_activity: how a refused orchestrator names the holder
        String app = "bitsweep " + FolderLock.holder().trim();
        p.setProperty("ApplicationName", app.length() > 63 ? app.substring(0, 63) : app);
        p.setProperty("tcpKeepAlive", "true");
        Connection c = DriverManager.getConnection(store.jdbcUrl(), p);
        // how soon PostgreSQL notices this machine is gone (see KEEPALIVE_IDLE_S); no effect over a Unix socket
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("SET tcp_keepalives_idle = " + KEEPALIVE_IDLE_S + "; SET tcp_keepalives_interval = "
                    + KEEPALIVE_INTERVAL_S + "; SET tcp_keepalives_count = " + KEEPALIVE_COUNT
                    + "; SET tcp_user_timeout = " + USER_TIMEOUT_MS);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static boolean tryLock(Connection c, long key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            s.setLong(1, key);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    private static String holder(Connection c, long key) {
        String sql = "SELECT a.pid, a.application_name, a.client_addr FROM pg_locks l "
                + "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
                + "AND l.classid = ? AND l.objid = ? AND l.objsubid = 1";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            // a bigint key is stored as classid = high 32 bits, objid = low 32 bits (both oid, unsigned)
            s.setLong(1, key >>> 32);
            s.setLong(2, key & 0xffffffffL);
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    return r.getString(2) + ", database session pid " + r.getInt(1)
                            + (r.getString(3) == null ? "" : " from " + r.getString(3));
                }
            }
        } catch (SQLException e) {
            log.debug("could not read the lock holder", e);
        }
        return "holder unknown";
    }

    private void check() {
        try {
            if (connection.isValid(3)) {
                return;
            }
            if (!reportedDown) {
                log.warn("lost the connection that holds the lock of sweep {} in {}; reconnecting", persistenceId,
                        store.describe());
                reportedDown = true;
            }
            connection.close();
            Connection c = connect(store);
            if (tryLock(c, key)) {
                connection = c;
                reportedDown = false;
                log.info("took the lock of sweep {} again", persistenceId);
            } else {
                String holder = holder(c, key);
                c.close();
                log.error("another orchestrator ({}) took the lock of sweep {} while the database was unreachable; "
                        + "stopping this one", holder, persistenceId);
                watchdog.shutdown();
                onLost.run();
            }
        } catch (SQLException e) {
            log.debug("database still unreachable: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.error("journal lock watchdog failed", e);
        }
    }

    @Override
    public void close() throws SQLException {
        watchdog.shutdownNow();
        try {
            watchdog.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connection.close(); // ends the session: PostgreSQL releases the lock
    }
}
