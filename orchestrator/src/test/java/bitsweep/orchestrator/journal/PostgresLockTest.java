package bitsweep.orchestrator.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The sweep's lock on the test PostgreSQL server ({@code scripts/postgres.sh}; skipped without it unless
 * {@code CI=true}): a standby waits while the lock is held and takes it when its holder ends, and every session
 * asks the server to detect a lost client with TCP keepalives, which bounds how long a lost holder keeps it.
 */
@Tag("slow") // in `mvn verify`, not the fast `mvn test` loop (docs/testing.md)
class PostgresLockTest {
    private JournalStore.Postgres store;
    private final String sweep = "bitsweep-sweep|lock-" + Long.toHexString(System.nanoTime());

    @BeforeEach
    void server() {
        String url = System.getenv("BITSWEEP_TEST_PG_URL");
        if (url == null || url.isBlank()) {
            String why = "no PostgreSQL: BITSWEEP_TEST_PG_URL is not set (run: eval \"$(sudo ./scripts/postgres.sh)\")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(why + "; CI must run every PostgreSQL test");
            }
            Assumptions.abort(why);
        }
        store = (JournalStore.Postgres) JournalStore.parse(url, Path.of("unused"), Map.of(
                JournalStore.USER_VARIABLE, System.getenv("BITSWEEP_TEST_PG_USER"),
                JournalStore.PASSWORD_VARIABLE, System.getenv("BITSWEEP_TEST_PG_PASSWORD")));
    }

    @Test
    void aStandbyWaitsWhileTheLockIsHeldAndTakesItWhenTheHolderEnds() throws Exception {
        PostgresLock active = PostgresLock.acquire(store, sweep, () -> { });
        CompletableFuture<PostgresLock> standby = CompletableFuture.supplyAsync(() -> {
            try {
                return PostgresLock.await(store, sweep, () -> { });
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            // several of its polls (one a second) find the lock held
            assertThrows(TimeoutException.class, () -> standby.get(3, TimeUnit.SECONDS));
            active.close(); // the holder's session ends, as when its process is killed
            try (PostgresLock taken = standby.get(30, TimeUnit.SECONDS)) {
                SweepLockedException refused = assertThrows(SweepLockedException.class,
                        () -> PostgresLock.acquire(store, sweep, () -> { }));
                assertTrue(refused.getMessage().contains("is in use by another orchestrator"), refused.getMessage());
            }
        } finally {
            standby.cancel(true);
            active.close();
        }
    }

    @Test
    void everySessionAsksTheServerToProbeALostClient() throws Exception {
        try (Connection c = PostgresLock.connect(store);
             PreparedStatement s = c.prepareStatement("SELECT name, setting FROM pg_settings WHERE name IN "
                     + "('tcp_keepalives_idle', 'tcp_keepalives_interval', 'tcp_keepalives_count', 'tcp_user_timeout') "
                     + "ORDER BY name");
             ResultSet r = s.executeQuery()) {
            StringBuilder got = new StringBuilder();
            while (r.next()) {
                got.append(r.getString(1)).append('=').append(r.getString(2)).append(' ');
            }
            assertEquals("tcp_keepalives_count=3 tcp_keepalives_idle=10 tcp_keepalives_interval=5 "
                    + "tcp_user_timeout=30000 ", got.toString());
        }
    }
}
