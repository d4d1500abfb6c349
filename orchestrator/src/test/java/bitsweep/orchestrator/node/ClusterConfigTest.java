package bitsweep.orchestrator.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.cluster.ClusterConfig.HostPort;
import bitsweep.cluster.ClusterConfig;
import com.typesafe.config.Config;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the command line and {@code bitsweep.tls.*} turn into. */
class ClusterConfigTest {

    @Test
    void bindSeedsAndRolesBecomeArterySettingsWithJavaSerializationOff() {
        Config c = ClusterConfig.node().bind(HostPort.parse("10.0.0.5:25520"))
                .seeds(List.of(HostPort.parse("10.0.0.5:25520"))).roles("orchestrator").build();
        assertEquals("10.0.0.5", c.getString("pekko.remote.artery.canonical.hostname"));
        assertEquals(25520, c.getInt("pekko.remote.artery.canonical.port"));
        assertEquals(List.of("pekko://bitsweep@10.0.0.5:25520"), c.getStringList("pekko.cluster.seed-nodes"));
        assertEquals(List.of("orchestrator"), c.getStringList("pekko.cluster.roles"));
        assertEquals("off", c.getString("pekko.actor.allow-java-serialization"));
        assertEquals("jackson-cbor", c.getString("pekko.actor.serialization-bindings.\"bitsweep.protocol.CborSerializable\""));
        assertEquals("tcp", c.getString("pekko.remote.artery.transport"));
        assertEquals("keep-oldest", c.getString("pekko.cluster.split-brain-resolver.active-strategy"));
        assertEquals("orchestrator", c.getString("pekko.cluster.split-brain-resolver.keep-oldest.role"));
    }

    @Test
    void tlsWithoutAKeystoreIsRejectedNamingTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClusterConfig.node().set("bitsweep.tls.enabled", "on").build());
        assertEquals("bitsweep.tls.key-store: required when bitsweep.tls.enabled = on", e.getMessage());
    }

    @Test
    void malformedAddressesSayWhatIsExpected() {
        assertEquals(new HostPort("::1", 25520), HostPort.parse("::1:25520"));
        IllegalArgumentException noPort = assertThrows(IllegalArgumentException.class, () -> HostPort.parse("host"));
        assertTrue(noPort.getMessage().contains("expected HOST:PORT"), noPort.getMessage());
        IllegalArgumentException badPort = assertThrows(IllegalArgumentException.class,
                () -> HostPort.parse("host:70000"));
        assertTrue(badPort.getMessage().contains("expected a port 0-65535"), badPort.getMessage());
    }
}
