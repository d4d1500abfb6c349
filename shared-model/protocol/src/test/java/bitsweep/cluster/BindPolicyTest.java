package bitsweep.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.cluster.BindPolicy.Mode;
import bitsweep.cluster.BindPolicy;
import bitsweep.cluster.ClusterConfig.HostPort;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Secure by default: a network address needs TLS or an explicit --insecure; loopback stays plain. */
class BindPolicyTest {
    private static List<HostPort> at(String... hostPorts) {
        return java.util.Arrays.stream(hostPorts).map(HostPort::parse).toList();
    }

    @Test
    void onlyLoopbackAddressesCountAsLoopback() {
        for (String h : List.of("127.0.0.1", "127.0.0.2", "127.255.0.9", "localhost", "LOCALHOST", "::1", "[::1]")) {
            assertTrue(BindPolicy.isLoopback(h), h);
        }
        for (String h : List.of("0.0.0.0", "10.0.0.5", "192.168.1.2", "128.0.0.1", "localhost.evil.com", "::",
                "gpu1.lan", "1127.0.0.1")) {
            assertFalse(BindPolicy.isLoopback(h), h);
        }
    }

    @Test
    void loopbackWithoutTlsStaysPlain() {
        assertEquals(Mode.LOOPBACK_PLAIN, BindPolicy.decide("run", at("127.0.0.1:0"), false, false));
        assertEquals(Mode.LOOPBACK_PLAIN, BindPolicy.decide("worker", at("127.0.0.1:25520", "localhost:25521"), false, false));
    }

    @Test
    void aNetworkAddressWithoutTlsIsRefusedWithHowToCreateCertificatesOrOptOut() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BindPolicy.decide("orchestrator", at("10.0.0.5:25520"), false, false));
        String m = e.getMessage();
        assertTrue(m.contains("10.0.0.5:25520") && m.contains("without TLS"), m);
        assertTrue(m.contains("bitsweep certs init") && m.contains("bitsweep certs node"), m);
        assertTrue(m.contains("--tls-dir") && m.contains("--insecure"), m);
        // a worker on loopback that joins a seed on the network sends its traffic over the network too
        assertThrows(IllegalArgumentException.class,
                () -> BindPolicy.decide("worker", at("10.0.0.5:25520", "127.0.0.1:0"), false, false));
    }

    @Test
    void aNetworkAddressIsAcceptedWithInsecureOrWithTls() {
        assertEquals(Mode.INSECURE, BindPolicy.decide("orchestrator", at("10.0.0.5:25520"), false, true));
        assertEquals(Mode.TLS, BindPolicy.decide("orchestrator", at("10.0.0.5:25520"), true, false));
        assertEquals(Mode.TLS, BindPolicy.decide("run", at("127.0.0.1:0"), true, false), "TLS on loopback when asked");
    }
}
