package bitsweep.orchestrator.journal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

/**
 * The journal's tables on PostgreSQL: created on first use from pekko-persistence-jdbc's DDL made idempotent
 * ({@code bitsweep/journal/postgres-schema.sql}). (Embedded H2 runs its script itself, see
 * {@code ClusterConfig.h2Url}.) Also deletes one sweep's rows for {@code --fresh}.
 */
public final class JournalSchema {
    /** Serialises schema creation between orchestrators of different sweeps starting at once. */
    private static final long SCHEMA_LOCK = PostgresLock.key("schema");

    private JournalSchema() {
    }

    public static void ensure(JournalStore.Postgres store) throws SQLException {
        try (Connection c = PostgresLock.connect(store)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
                for (String sql : statements("bitsweep/journal/postgres-schema.sql")) {
                    s.execute(sql);
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** {@code --fresh}: forget the sweep's events and snapshots (the caller holds the sweep's lock). */
    public static void deleteSweep(JournalStore.Postgres store, String persistenceId) throws SQLException {
        try (Connection c = PostgresLock.connect(store)) {
            c.setAutoCommit(false);
            for (String table : List.of("event_journal", "snapshot")) {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE persistence_id = ?")) {
                    s.setString(1, persistenceId);
                    s.executeUpdate();
                }
            }
            PostgresArtifacts.deleteSweep(c, persistenceId);
            c.commit();
        }
    }

    static List<String> statements(String resource) {
        try (InputStream in = JournalSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
            return Arrays.stream(text.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
