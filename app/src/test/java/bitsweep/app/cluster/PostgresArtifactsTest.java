package bitsweep.app.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.orchestrator.journal.JournalSchema;
import bitsweep.orchestrator.journal.JournalStore;
import bitsweep.orchestrator.journal.PostgresArtifacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The copy of a sweep's checkpoints and results in PostgreSQL (large objects) on the test server: a file comes
 * back byte for byte after the local disk lost it, a replaced copy leaves no orphaned large object, a damaged
 * copy is refused without touching the target, and deletions stay within their sweep and prefix.
 */
@Tag("slow") // in `mvn verify`, not the fast `mvn test` loop (docs/testing.md)
class PostgresArtifactsTest {
    @TempDir
    Path tmp;

    private JournalStore.Postgres store;
    private final String sweep = "bitsweep-sweep|artifacts-" + Long.toHexString(System.nanoTime());

    @BeforeEach
    void schema() throws SQLException {
        TestPostgres pg = TestPostgres.require();
        store = (JournalStore.Postgres) JournalStore.parse(pg.url(), tmp, pg.orchestratorEnv());
        JournalSchema.ensure(store);
    }

    private Path file(String name, int bytes, long seed) throws IOException {
        byte[] data = new byte[bytes];
        new Random(seed).nextBytes(data);
        Path f = tmp.resolve(name);
        Files.write(f, data);
        return f;
    }

    private long oid(String path) throws SQLException {
        try (Connection c = DriverManager.getConnection(store.jdbcUrl(), store.user(), store.password());
             PreparedStatement s = c.prepareStatement(
                     "SELECT data FROM bitsweep_artifact WHERE persistence_id = ? AND path = ?")) {
            s.setString(1, sweep);
            s.setString(2, path);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : -1;
            }
        }
    }

    private boolean largeObjectExists(long oid) throws SQLException {
        try (Connection c = DriverManager.getConnection(store.jdbcUrl(), store.user(), store.password());
             PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_largeobject_metadata WHERE oid = ?")) {
            s.setLong(1, oid);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(store.jdbcUrl(), store.user(), store.password());
             PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, sweep);
            s.executeUpdate();
        }
    }

    @Test
    void aCheckpointComesBackByteForByteAfterTheLocalDiskLostIt() throws Exception {
        PostgresArtifacts copies = new PostgresArtifacts(store, sweep);
        String rel = "trials/t-1/checkpoints/attempt-01-epoch-0003.ckpt";
        Path original = file("ckpt", 3 * 1024 * 1024 + 17, 1);
        byte[] bytes = Files.readAllBytes(original);
        copies.put(rel, original);
        Files.delete(original);

        Path restored = tmp.resolve("other-machine").resolve(rel);
        assertTrue(copies.get(rel, restored));
        assertArrayEquals(bytes, Files.readAllBytes(restored));
        assertEquals(List.of(rel), copies.list());
        assertFalse(copies.get("trials/t-1/result.json", tmp.resolve("absent")), "no copy, no file");
        assertFalse(Files.exists(tmp.resolve("absent")));
    }

    @Test
    void aReplacedCopyLeavesNoOrphanedLargeObjectAndDeletionsStayUnderTheirPrefix() throws Exception {
        PostgresArtifacts copies = new PostgresArtifacts(store, sweep);
        PostgresArtifacts otherSweep = new PostgresArtifacts(store, sweep + "-other");
        String rel = "trials/t-1/incoming/attempt-01/result.json";
        copies.put(rel, file("a", 1000, 1));
        long first = oid(rel);
        copies.put(rel, file("b", 2000, 2));
        assertFalse(largeObjectExists(first), "the replaced copy's large object is unlinked");
        Path back = tmp.resolve("back");
        assertTrue(copies.get(rel, back));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("b")), Files.readAllBytes(back));

        copies.put("trials/t-1/incoming/attempt-02/result.json", file("c", 10, 3));
        otherSweep.put(rel, file("d", 10, 4));
        long second = oid(rel);
        copies.deleteUnder("trials/t-1/incoming/attempt-01/");
        assertEquals(List.of("trials/t-1/incoming/attempt-02/result.json"), copies.list());
        assertFalse(largeObjectExists(second));
        assertEquals(List.of(rel), otherSweep.list(), "another sweep's copies are untouched");
        otherSweep.delete(rel);
        assertEquals(List.of(), otherSweep.list());
    }

    @Test
    void aDamagedCopyIsRefusedAndTheTargetIsNotWritten() throws Exception {
        PostgresArtifacts copies = new PostgresArtifacts(store, sweep);
        String rel = "trials/t-2/checkpoints/attempt-01-epoch-0001.ckpt";
        copies.put(rel, file("ckpt", 5000, 5));
        execute("UPDATE bitsweep_artifact SET sha256 = repeat('0', 64) WHERE persistence_id = ?");
        Path target = tmp.resolve("restored.ckpt");
        IOException e = assertThrows(IOException.class, () -> copies.get(rel, target));
        assertTrue(e.getMessage().contains("is damaged"), e.getMessage());
        assertTrue(e.getMessage().contains(rel), e.getMessage());
        assertFalse(Files.exists(target));
    }
}
