package bitsweep.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.cluster.BindPolicy.Mode;
import bitsweep.cluster.ClusterConfig.HostPort;
import bitsweep.cluster.ClusterConfig;
import bitsweep.cluster.NodeSecurity;
import bitsweep.cluster.TlsMaterial;
import bitsweep.cluster.TlsOptions;
import bitsweep.cluster.certs.ClusterCa;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine;

/** What --tls-dir / --insecure turn into, as the node commands parse them. */
class TlsOptionsTest {
    private static final Map<String, String> ENV = Map.of(ClusterCa.CA_PASSWORD_ENV, "ca-secret-1",
            TlsMaterial.KEYSTORE_PASSWORD_ENV, "node-secret-1", TlsMaterial.TRUSTSTORE_PASSWORD_ENV, "trust-secret-1");
    private static final List<HostPort> NETWORK = List.of(HostPort.parse("10.0.0.5:25520"));

    @TempDir
    Path dir;

    @Command(name = "node")
    static final class Node {
        @Mixin
        TlsOptions tls;
    }

    private static TlsOptions parse(String... args) {
        Node n = new Node();
        new CommandLine(n).parseArgs(args);
        return n.tls;
    }

    @Test
    void insecureAcceptsANetworkAddressOnPlainTcp() {
        NodeSecurity s = parse("--insecure").resolve("orchestrator", NETWORK, Map.of());
        assertEquals(Mode.INSECURE, s.mode());
        assertNull(s.tls());
        assertEquals("tcp", s.applyTo(ClusterConfig.node()).build().getString("pekko.remote.artery.transport"));
        assertThrows(IllegalArgumentException.class, () -> parse().resolve("orchestrator", NETWORK, Map.of()));
    }

    @Test
    void tlsDirBecomesMutuallyAuthenticatedTlsWithHostnameVerificationAndNoPasswordInToString() throws Exception {
        ClusterCa.init(dir, ENV);
        Path node = ClusterCa.node(dir, "n1", List.of("10.0.0.5"), false, ENV);
        NodeSecurity s = parse("--tls-dir", node.toString()).resolve("orchestrator", NETWORK, ENV);
        assertEquals(Mode.TLS, s.mode());
        Config c = s.applyTo(ClusterConfig.node()).build();
        String engine = "pekko.remote.artery.ssl.config-ssl-engine.";
        assertEquals("tls-tcp", c.getString("pekko.remote.artery.transport"));
        assertEquals(node.resolve("node.p12").toAbsolutePath().toString(), c.getString(engine + "key-store"));
        assertEquals(node.resolve("truststore.p12").toAbsolutePath().toString(), c.getString(engine + "trust-store"));
        assertEquals("on", c.getString(engine + "require-mutual-authentication"));
        assertEquals("on", c.getString(engine + "hostname-verification"));
        assertFalse(s.tls().toString().contains("secret"), s.tls().toString());

        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> parse("--tls-dir",
                node.toString()).resolve("worker", NETWORK, Map.of(TlsMaterial.KEYSTORE_PASSWORD_ENV, "wrong-one",
                TlsMaterial.TRUSTSTORE_PASSWORD_ENV, "trust-secret-1")));
        assertTrue(wrong.getMessage().contains("cannot open") && wrong.getMessage().contains(
                TlsMaterial.KEYSTORE_PASSWORD_ENV), wrong.getMessage());
    }
}
