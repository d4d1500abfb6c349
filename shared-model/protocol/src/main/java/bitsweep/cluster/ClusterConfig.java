package bitsweep.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the Pekko configuration of a BitSweep node: system properties win, then what the command line
 * asked for (bind address, seed nodes, roles, results folder), then the HOCON file named by
 * {@code -Dbitsweep.config=FILE} (TLS, journal database, timeouts), then {@code bitsweep-cluster.conf},
 * then Pekko's reference configuration. {@code bitsweep.tls.enabled} switches Artery to {@code tls-tcp} with the configured key and trust stores.
 */
public final class ClusterConfig {
    /** Every node of one cluster must use the same actor-system name. */
    public static final String SYSTEM_NAME = "bitsweep";

    private final Map<String, Object> values = new HashMap<>();

    private ClusterConfig() {
    }

    public static ClusterConfig node() {
        return new ClusterConfig();
    }

    public ClusterConfig bind(HostPort bind) {
        values.put("pekko.remote.artery.canonical.hostname", bind.host());
        values.put("pekko.remote.artery.canonical.port", bind.port());
        return this;
    }

    public ClusterConfig seeds(List<HostPort> seeds) {
        List<String> addresses = new ArrayList<>();
        for (HostPort s : seeds) {
            addresses.add("pekko://" + SYSTEM_NAME + "@" + s.host() + ":" + s.port());
        }
        values.put("pekko.cluster.seed-nodes", addresses);
        return this;
    }

    public ClusterConfig roles(String... roles) {
        values.put("pekko.cluster.roles", List.of(roles));
        return this;
    }

    /**
     * The default journal: events and snapshots in an embedded H2 database,
     * {@code <resultsDir>/journal/bitsweep.mv.db}. The tables are created on first connection
     * (idempotent script), so a results folder needs no set-up.
     */
    public ClusterConfig journalUnder(Path resultsDir) {
        return journalDatabase(h2JournalUrl(resultsDir), "slick.jdbc.H2Profile$", "org.h2.Driver", "", "");
    }

    /** The JDBC URL of the embedded journal under {@code resultsDir} ({@code journal/bitsweep.mv.db}). */
    public static String h2JournalUrl(Path resultsDir) {
        return h2Url(resultsDir.resolve("journal").resolve("bitsweep"));
    }

    /**
     * H2 in file mode. WRITE_DELAY=0: a commit reaches the file before the plugin acknowledges the write,
     * so a killed process loses nothing acknowledged (H2 does not fsync every commit; see docs/cluster.md).
     */
    public static String h2Url(Path databaseFile) {
        return "jdbc:h2:file:" + databaseFile.toAbsolutePath() + ";WRITE_DELAY=0"
                + ";INIT=RUNSCRIPT FROM 'classpath:bitsweep/journal/h2-schema.sql'";
    }

    /** The journal and snapshot store's database (pekko-persistence-jdbc's shared database "bitsweep"). */
    public ClusterConfig journalDatabase(String jdbcUrl, String slickProfile, String driver, String user,
                                         String password) {
        String db = "pekko-persistence-jdbc.shared-databases.bitsweep.";
        values.put(db + "profile", slickProfile);
        values.put(db + "db.url", jdbcUrl);
        values.put(db + "db.driver", driver);
        values.put(db + "db.user", user);
        values.put(db + "db.password", password);
        return this;
    }

    /** Mutually authenticated TLS with this node's key and the cluster CA (see {@link #withTls}). */
    public ClusterConfig tls(bitsweep.cluster.TlsMaterial tls) {
        values.put("bitsweep.tls.enabled", "on");
        values.put("bitsweep.tls.key-store", tls.keyStore().toString());
        values.put("bitsweep.tls.key-store-password", tls.keyStorePassword());
        values.put("bitsweep.tls.trust-store", tls.trustStore().toString());
        values.put("bitsweep.tls.trust-store-password", tls.trustStorePassword());
        return this;
    }

    public ClusterConfig set(String path, Object value) {
        values.put(path, value);
        return this;
    }

    public Config build() {
        Config programmatic = ConfigFactory.parseMap(toConfigValues());
        Config userFile = ConfigFactory.empty();
        String file = System.getProperty("bitsweep.config");
        if (file != null && !file.isBlank()) {
            java.io.File f = new java.io.File(file);
            if (!f.isFile()) {
                throw new IllegalArgumentException("-Dbitsweep.config=" + file + ": no such file");
            }
            userFile = ConfigFactory.parseFile(f);
        }
        Config merged = ConfigFactory.systemProperties()
                .withFallback(programmatic)
                .withFallback(userFile)
                .withFallback(ConfigFactory.parseResources("bitsweep-cluster.conf"))
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
        return withTls(merged);
    }

    private Map<String, Object> toConfigValues() {
        Map<String, Object> out = new HashMap<>();
        values.forEach((k, v) -> out.put(k, v instanceof List<?> l ? ConfigValueFactory.fromIterable(l).unwrapped() : v));
        return out;
    }

    /**
     * Maps {@code bitsweep.tls.*} onto Artery's TLS transport: both sides present a certificate
     * (mutual authentication), both check it against the truststore (the cluster CA), and the side that
     * connects also checks that the peer's certificate names the host it dialled (hostname verification).
     */
    static Config withTls(Config config) {
        if (!config.getBoolean("bitsweep.tls.enabled")) {
            return config;
        }
        Config tls = config.getConfig("bitsweep.tls");
        for (String key : List.of("key-store", "trust-store", "key-store-password", "trust-store-password")) {
            if (tls.getString(key).isBlank()) {
                throw new IllegalArgumentException("bitsweep.tls." + key + ": required when bitsweep.tls.enabled = on");
            }
        }
        String keyPassword = tls.getString("key-password").isBlank()
                ? tls.getString("key-store-password") : tls.getString("key-password");
        Map<String, Object> artery = new HashMap<>();
        String engine = "pekko.remote.artery.ssl.config-ssl-engine.";
        artery.put("pekko.remote.artery.transport", "tls-tcp");
        artery.put(engine + "key-store", tls.getString("key-store"));
        artery.put(engine + "key-store-password", tls.getString("key-store-password"));
        artery.put(engine + "key-password", keyPassword);
        artery.put(engine + "trust-store", tls.getString("trust-store"));
        artery.put(engine + "trust-store-password", tls.getString("trust-store-password"));
        artery.put(engine + "require-mutual-authentication", "on");
        artery.put(engine + "hostname-verification", tls.getBoolean("hostname-verification") ? "on" : "off");
        return ConfigFactory.parseMap(artery).withFallback(config);
    }

    /** {@code HOST:PORT} as given on the command line. */
    public record HostPort(String host, int port) {
        public static HostPort parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new IllegalArgumentException("expected HOST:PORT (e.g. 10.0.0.5:25520), got '" + text + "'");
            }
            try {
                int port = Integer.parseInt(text.substring(colon + 1));
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                return new HostPort(text.substring(0, colon), port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a port 0-65535 in '" + text + "'");
            }
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }
}
