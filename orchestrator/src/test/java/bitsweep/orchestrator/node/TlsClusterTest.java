package bitsweep.orchestrator.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.cluster.ClusterConfig.HostPort;
import bitsweep.cluster.ClusterConfig;
import bitsweep.cluster.NodeSecurity;
import bitsweep.cluster.TlsMaterial;
import bitsweep.cluster.certs.ClusterCa;
import com.typesafe.config.Config;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS as {@code bitsweep certs} sets it up: two nodes with certificates from the cluster CA form a cluster;
 * a node with a certificate from another CA, a node whose certificate names another host, and a plain-TCP
 * node can neither join it nor (the first and last) deliver a single message to it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("slow") // in `mvn verify`, not the fast `mvn test` loop (docs/testing.md)
class TlsClusterTest {
    private static final Map<String, String> ENV = Map.of(ClusterCa.CA_PASSWORD_ENV, "ca-test-secret",
            TlsMaterial.KEYSTORE_PASSWORD_ENV, "node-test-secret", TlsMaterial.TRUSTSTORE_PASSWORD_ENV,
            "trust-test-secret");
    /** How long an outsider keeps trying: many join attempts and TLS handshakes. */
    private static final long OUTSIDER_MS = 6000;

    private Path cluster;
    private Path otherCa;
    private ActorSystem<Void> seed;
    private ActorSystem<Void> member;
    private int seedPort;
    private final AtomicInteger probeReceived = new AtomicInteger();
    private final List<ActorSystem<?>> outsiders = new ArrayList<>();

    @BeforeAll
    void clusterOfTwo(@TempDir Path dir) throws Exception {
        cluster = dir.resolve("cluster-ca");
        ClusterCa.init(cluster, ENV);
        for (String name : List.of("seed", "member")) {
            ClusterCa.node(cluster, name, List.of("127.0.0.1", "localhost"), false, ENV);
        }
        ClusterCa.node(cluster, "elsewhere", List.of("127.0.0.2", "elsewhere.invalid"), false, ENV);
        otherCa = dir.resolve("other-ca");
        ClusterCa.init(otherCa, ENV);
        ClusterCa.node(otherCa, "intruder", List.of("127.0.0.1", "localhost"), false, ENV);

        seedPort = freePort();
        seed = node(tls(cluster.resolve("seed")), seedPort);
        // counts every message that reaches it, from anyone
        seed.systemActorOf(Behaviors.<String>receiveMessage(m -> {
            probeReceived.incrementAndGet();
            return Behaviors.same();
        }), "probe", Props.empty());
        member = node(tls(cluster.resolve("member")), freePort());
        await(() -> upMembers(seed) == 2 && upMembers(member) == 2, 30);
    }

    @AfterEach
    void stopOutsiders() {
        outsiders.forEach(ActorSystem::terminate);
        outsiders.clear();
    }

    @AfterAll
    void stop() {
        seed.terminate();
        member.terminate();
    }

    private static NodeSecurity tls(Path nodeDir) {
        return NodeSecurity.tls(TlsMaterial.fromDir(nodeDir, ENV));
    }

    private ActorSystem<Void> node(NodeSecurity security, int port) {
        Config config = security.applyTo(ClusterConfig.node().bind(new HostPort("127.0.0.1", port))
                        .seeds(List.of(new HostPort("127.0.0.1", seedPort))).roles("worker")
                        .set("pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on"))
                .build();
        return ActorSystem.create(Behaviors.empty(), ClusterConfig.SYSTEM_NAME, config);
    }

    private ActorSystem<Void> outsider(NodeSecurity security) throws Exception {
        ActorSystem<Void> s = node(security, freePort());
        outsiders.add(s);
        return s;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static long upMembers(ActorSystem<?> system) {
        List<Member> members = new ArrayList<>();
        Cluster.get(system).state().getMembers().forEach(members::add);
        return members.stream().filter(m -> m.status() == MemberStatus.up()).count();
    }

    private static void await(java.util.function.BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    /** Sends to the seed's probe (by path, like any remote message) every 200 ms for {@code ms}. */
    private void sendToProbe(ActorSystem<?> from, long ms) throws InterruptedException {
        String path = "pekko://" + ClusterConfig.SYSTEM_NAME + "@127.0.0.1:" + seedPort + "/system/probe";
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (System.nanoTime() < end) {
            Adapter.toClassic(from).actorSelection(path).tell("hello", org.apache.pekko.actor.ActorRef.noSender());
            Thread.sleep(200);
        }
    }

    /** The outsider never became a member, on either side, after trying for a while. */
    private void assertNotAMember(ActorSystem<Void> outsider, String why) {
        assertEquals(2, upMembers(seed), why);
        assertNotEquals(MemberStatus.up(), Cluster.get(outsider).selfMember().status(), why);
        String address = Cluster.get(outsider).selfMember().address().toString();
        List<String> addresses = new ArrayList<>();
        Cluster.get(seed).state().getMembers().forEach(m -> addresses.add(m.address().toString()));
        assertTrue(addresses.stream().noneMatch(address::equals), why + ": " + addresses);
    }

    /** The probe works: a message from a cluster member arrives (so a count of 0 from an outsider means refused). */
    private void assertProbeReachableFromTheMember() throws InterruptedException {
        int before = probeReceived.get();
        sendToProbe(member, 1000);
        await(() -> probeReceived.get() > before, 10);
        assertTrue(probeReceived.get() > before, "a member's message reaches the probe over TLS");
    }

    @Test
    void nodesWithCertificatesFromTheClusterCaFormAClusterOverTlsWithHostnameVerification() throws Exception {
        Config c = seed.settings().config();
        assertEquals("tls-tcp", c.getString("pekko.remote.artery.transport"));
        assertEquals("on", c.getString("pekko.remote.artery.ssl.config-ssl-engine.require-mutual-authentication"));
        assertEquals("on", c.getString("pekko.remote.artery.ssl.config-ssl-engine.hostname-verification"));
        assertEquals(2, upMembers(seed), "two nodes with certificates of the cluster CA form a cluster over TLS");
        assertEquals(MemberStatus.up(), Cluster.get(member).selfMember().status());
        assertProbeReachableFromTheMember();
    }

    @Test
    void aNodeWithACertificateFromAnotherCaCannotJoinOrDeliverAnyMessage() throws Exception {
        ActorSystem<Void> intruder = outsider(tls(otherCa.resolve("intruder")));
        int before = probeReceived.get();
        sendToProbe(intruder, OUTSIDER_MS);
        assertNotAMember(intruder, "a certificate signed by another CA must not join");
        assertEquals(before, probeReceived.get(), "no message from a node of another CA reaches any actor");
        assertProbeReachableFromTheMember();
    }

    @Test
    void aNodeWhoseCertificateNamesAnotherHostIsRefused() throws Exception {
        // signed by the cluster CA, but for 127.0.0.2 / elsewhere.invalid while it runs at 127.0.0.1: the seed's
        // connection back to 127.0.0.1 fails hostname verification, so the join handshake never completes
        ActorSystem<Void> elsewhere = outsider(tls(cluster.resolve("elsewhere")));
        Thread.sleep(OUTSIDER_MS);
        assertNotAMember(elsewhere, "a certificate that does not name the node's host must not join");
    }

    @Test
    void aPlainTcpNodeCannotJoinATlsClusterOrDeliverAnyMessage() throws Exception {
        ActorSystem<Void> plain = outsider(NodeSecurity.loopbackPlain());
        assertEquals("tcp", plain.settings().config().getString("pekko.remote.artery.transport"));
        int before = probeReceived.get();
        sendToProbe(plain, OUTSIDER_MS);
        assertNotAMember(plain, "a plain-TCP node must not join a TLS cluster");
        assertEquals(before, probeReceived.get(), "no message from a plain-TCP node reaches any actor");
    }
}
