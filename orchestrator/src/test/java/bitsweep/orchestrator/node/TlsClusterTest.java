package bitsweep.orchestrator.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.protocol.ClusterConfig;
import bitsweep.protocol.ClusterConfig.HostPort;
import com.typesafe.config.Config;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bitsweep.tls.enabled = on} puts Artery on mutually authenticated TLS: nodes whose
 * certificate is in the truststore form a cluster; a node with another certificate cannot join.
 * Key pairs are generated per test run with the JDK's {@code keytool}.
 */
class TlsClusterTest {
    private static final String PASSWORD = "bitsweep-test";

    @TempDir
    Path dir;
    private final List<ActorSystem<?>> systems = new ArrayList<>();

    @AfterEach
    void stop() {
        systems.forEach(ActorSystem::terminate);
    }

    private void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool failed: " + out);
    }

    /** A PKCS12 keystore with a fresh self-signed key pair, and a truststore holding its certificate. */
    private void identity(String name) throws Exception {
        Path ks = dir.resolve(name + "-keystore.p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=" + name + ", O=BitSweep test", "-storetype", "PKCS12", "-keystore", ks.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        Path crt = dir.resolve(name + ".crt");
        keytool("-exportcert", "-alias", name, "-keystore", ks.toString(), "-storepass", PASSWORD,
                "-file", crt.toString());
        keytool("-importcert", "-noprompt", "-alias", name, "-file", crt.toString(), "-storetype", "PKCS12",
                "-keystore", dir.resolve(name + "-truststore.p12").toString(), "-storepass", PASSWORD);
    }

    private ActorSystem<Void> node(String identity, int port, int seedPort) {
        Config config = ClusterConfig.node().bind(new HostPort("127.0.0.1", port))
                .seeds(List.of(new HostPort("127.0.0.1", seedPort))).roles("worker")
                .set("bitsweep.tls.enabled", "on")
                .set("bitsweep.tls.key-store", dir.resolve(identity + "-keystore.p12").toString())
                .set("bitsweep.tls.key-store-password", PASSWORD)
                .set("bitsweep.tls.trust-store", dir.resolve(identity + "-truststore.p12").toString())
                .set("bitsweep.tls.trust-store-password", PASSWORD)
                .set("pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on")
                .build();
        assertEquals("tls-tcp", config.getString("pekko.remote.artery.transport"));
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), ClusterConfig.SYSTEM_NAME, config);
        systems.add(system);
        return system;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static long upMembers(ActorSystem<?> system) {
        List<org.apache.pekko.cluster.Member> members = new ArrayList<>();
        Cluster.get(system).state().getMembers().forEach(members::add);
        return members.stream().filter(m -> m.status() == MemberStatus.up()).count();
    }

    @Test
    void trustedNodesFormATlsClusterAndANodeWithAnotherCertificateCannotJoin() throws Exception {
        identity("cluster"); // the certificate every legitimate node presents and trusts
        identity("intruder");
        int seedPort = freePort();
        ActorSystem<Void> seed = node("cluster", seedPort, seedPort);
        ActorSystem<Void> member = node("cluster", freePort(), seedPort);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((upMembers(seed) < 2 || upMembers(member) < 2) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(2, upMembers(seed), "two nodes sharing the trusted certificate form a cluster over TLS");
        assertEquals(MemberStatus.up(), Cluster.get(member).selfMember().status());

        ActorSystem<Void> intruder = node("intruder", freePort(), seedPort);
        Thread.sleep(8000); // several join attempts and TLS handshakes
        assertEquals(2, upMembers(seed), "the node with an untrusted certificate must not become a member");
        assertNotEquals(MemberStatus.up(), Cluster.get(intruder).selfMember().status());
        List<String> addresses = new ArrayList<>();
        Cluster.get(seed).state().getMembers().forEach(m -> addresses.add(m.address().toString()));
        assertTrue(addresses.stream().noneMatch(a -> a.equals(Cluster.get(intruder).selfMember().address().toString())));
    }
}
