package bitsweep.orchestrator.journal;

import bitsweep.io.AtomicFiles;
import bitsweep.orchestrator.supervisor.ArtifactReplica;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.largeobject.BlobInputStream;
import org.postgresql.largeobject.BlobOutputStream;
import org.postgresql.largeobject.LargeObject;
import org.postgresql.largeobject.LargeObjectManager;

/**
 * A sweep's checkpoints and result files as PostgreSQL large objects next to its journal (table
 * {@code bitsweep_artifact}): the database that already holds the one irreplaceable record of the sweep also
 * holds the files that record points to, so a standby needs nothing but the database. Large objects stream in
 * both directions (a multi-GB checkpoint never sits in memory); each copy carries its SHA-256 and length, which
 * are checked when it is read back.
 */
public final class PostgresArtifacts implements ArtifactReplica {
    /** Bytes per round trip (the driver's default is a few KiB: thousands of calls per checkpoint). */
    private static final int CHUNK = 1 << 20;

    private final JournalStore.Postgres store;
    private final String persistenceId;

    public PostgresArtifacts(JournalStore.Postgres store, String persistenceId) {
        this.store = store;
        this.persistenceId = persistenceId;
    }

    @Override
    public void put(String relative, Path file) throws IOException {
        try (Connection c = PostgresLock.connect(store)) {
            c.setAutoCommit(false);
            try {
                LargeObjectManager lom = c.unwrap(PGConnection.class).getLargeObjectAPI();
                long oid = lom.createLO(LargeObjectManager.READWRITE);
                MessageDigest sha = sha256();
                long size;
                try (LargeObject lo = lom.open(oid, LargeObjectManager.WRITE);
                     OutputStream out = new BlobOutputStream(lo, CHUNK);
                     InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
                    size = in.transferTo(out);
                }
                unlink(c, relative, false);
                try (PreparedStatement s = c.prepareStatement("INSERT INTO bitsweep_artifact "
                        + "(persistence_id, path, size, sha256, data) VALUES (?, ?, ?, ?, ?)")) {
                    s.setString(1, persistenceId);
                    s.setString(2, relative);
                    s.setLong(3, size);
                    s.setString(4, HexFormat.of().formatHex(sha.digest()));
                    s.setLong(5, oid);
                    s.executeUpdate();
                }
                c.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IOException("could not copy " + relative + " to " + store.describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean get(String relative, Path target) throws IOException {
        try (Connection c = PostgresLock.connect(store)) {
            c.setAutoCommit(false);
            long oid;
            long size;
            String sha;
            try (PreparedStatement s = c.prepareStatement("SELECT data, size, sha256 FROM bitsweep_artifact "
                    + "WHERE persistence_id = ? AND path = ?")) {
                s.setString(1, persistenceId);
                s.setString(2, relative);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return false;
                    }
                    oid = r.getLong(1);
                    size = r.getLong(2);
                    sha = r.getString(3);
                }
            }
            LargeObjectManager lom = c.unwrap(PGConnection.class).getLargeObjectAPI();
            try (LargeObject lo = lom.open(oid, LargeObjectManager.READ)) {
                InputStream in = new BlobInputStream(lo, CHUNK);
                AtomicFiles.write(target, out -> {
                    MessageDigest digest = sha256();
                    long n = new DigestInputStream(in, digest).transferTo(out);
                    String got = HexFormat.of().formatHex(digest.digest());
                    if (n != size || !got.equals(sha)) {
                        throw new IOException("the copy of " + relative + " in " + store.describe() + " is damaged: "
                                + n + " bytes, SHA-256 " + got + "; expected " + size + " bytes, " + sha);
                    }
                });
            }
            c.commit();
            return true;
        } catch (SQLException e) {
            throw new IOException("could not read " + relative + " from " + store.describe() + ": " + e.getMessage(),
                    e);
        }
    }

    @Override
    public List<String> list() throws IOException {
        try (Connection c = PostgresLock.connect(store);
             PreparedStatement s = c.prepareStatement("SELECT path FROM bitsweep_artifact WHERE persistence_id = ?")) {
            s.setString(1, persistenceId);
            List<String> paths = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    paths.add(r.getString(1));
                }
            }
            return paths;
        } catch (SQLException e) {
            throw new IOException("could not list the files of " + persistenceId + " in " + store.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String relative) throws IOException {
        deleteWhere(relative, false);
    }

    @Override
    public void deleteUnder(String prefix) throws IOException {
        deleteWhere(prefix, true);
    }

    private void deleteWhere(String path, boolean prefix) throws IOException {
        try (Connection c = PostgresLock.connect(store)) {
            c.setAutoCommit(false);
            unlink(c, path, prefix);
            c.commit();
        } catch (SQLException e) {
            throw new IOException("could not delete " + path + " from " + store.describe() + ": " + e.getMessage(), e);
        }
    }

    /** Drops the rows of {@code path} (or every path under it) and their large objects, in the caller's transaction. */
    private void unlink(Connection c, String path, boolean prefix) throws SQLException {
        String where = " WHERE persistence_id = ? AND " + (prefix ? "starts_with(path, ?)" : "path = ?");
        try (PreparedStatement s = c.prepareStatement("SELECT lo_unlink(data) FROM bitsweep_artifact" + where)) {
            s.setString(1, persistenceId);
            s.setString(2, path);
            s.executeQuery().close();
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM bitsweep_artifact" + where)) {
            s.setString(1, persistenceId);
            s.setString(2, path);
            s.executeUpdate();
        }
    }

    /** {@code --fresh}: every copy of the sweep (the caller holds the sweep's lock). */
    static void deleteSweep(Connection c, String persistenceId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT lo_unlink(data) FROM bitsweep_artifact WHERE persistence_id = ?")) {
            s.setString(1, persistenceId);
            s.executeQuery().close();
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM bitsweep_artifact WHERE persistence_id = ?")) {
            s.setString(1, persistenceId);
            s.executeUpdate();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String describe() {
        return "large objects in " + store.describe();
    }
}
