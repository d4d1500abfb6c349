package bitsweep.orchestrator.journal;

import bitsweep.cluster.ClusterConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a sweep's events and snapshots are stored (pekko-persistence-jdbc): an embedded H2 database in
 * the results folder (the default, no set-up) or a PostgreSQL server ({@code --journal
 * postgresql://HOST:PORT/DB}) with its user and password from the environment, never the command line.
 */
public sealed interface JournalStore {
    String USER_VARIABLE = "BITSWEEP_JOURNAL_USER";
    String PASSWORD_VARIABLE = "BITSWEEP_JOURNAL_PASSWORD";

    /** Points the node's persistence plugins at this store. */
    ClusterConfig configure(ClusterConfig config);

    /** For logs and error messages; never contains the password. */
    String describe();

    /** The database's JDBC URL (credentials, where it needs them, are the store's own). */
    String jdbcUrl();

    /** {@code results/<sweep>/journal/bitsweep.mv.db}. */
    record Embedded(Path resultsDir) implements JournalStore {
        public Path databaseFile() {
            return resultsDir.resolve("journal").resolve("bitsweep.mv.db");
        }

        @Override
        public String jdbcUrl() {
            return ClusterConfig.h2JournalUrl(resultsDir);
        }

        @Override
        public ClusterConfig configure(ClusterConfig config) {
            return config.journalUnder(resultsDir);
        }

        @Override
        public String describe() {
            return "embedded H2 database " + databaseFile();
        }
    }

    record Postgres(String host, int port, String database, String user, String password) implements JournalStore {
        @Override
        public String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        @Override
        public ClusterConfig configure(ClusterConfig config) {
            return config.journalDatabase(jdbcUrl(), "slick.jdbc.PostgresProfile$", "org.postgresql.Driver", user,
                    password);
        }

        @Override
        public String describe() {
            return "PostgreSQL postgresql://" + host + ":" + port + "/" + database + " (user " + user + ")";
        }

        @Override
        public String toString() { // records print every field: keep the password out of logs
            return describe();
        }
    }

    /**
     * The {@code --journal} option: null or {@code embedded} for H2 under {@code resultsDir},
     * {@code postgresql://HOST[:PORT]/DB} for a server (user and password from {@code env}).
     */
    static JournalStore parse(String option, Path resultsDir, Map<String, String> env) {
        if (option == null || option.isBlank() || option.equals("embedded")) {
            return new Embedded(resultsDir);
        }
        URI uri;
        try {
            uri = new URI(option);
        } catch (URISyntaxException e) {
            throw badOption(option);
        }
        String db = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (!"postgresql".equals(uri.getScheme()) || uri.getHost() == null || db.isEmpty() || db.contains("/")
                || uri.getUserInfo() != null || uri.getQuery() != null) {
            throw badOption(option);
        }
        String user = env.get(USER_VARIABLE);
        String password = env.get(PASSWORD_VARIABLE);
        if (user == null || user.isBlank() || password == null) {
            throw new IllegalArgumentException("--journal " + option + ": set the database user and password in the "
                    + "environment variables " + USER_VARIABLE + " and " + PASSWORD_VARIABLE
                    + " (they are never taken from the command line)");
        }
        return new Postgres(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), db, user, password);
    }

    private static IllegalArgumentException badOption(String option) {
        return new IllegalArgumentException("--journal: expected 'embedded' or postgresql://HOST:PORT/DATABASE "
                + "(user and password in " + USER_VARIABLE + " / " + PASSWORD_VARIABLE + "), got '" + option + "'");
    }
}
