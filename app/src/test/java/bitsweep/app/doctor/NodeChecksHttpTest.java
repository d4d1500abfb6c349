package bitsweep.app.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code doctor --http}: what the orchestrator would refuse fails, a busy port warns. */
class NodeChecksHttpTest {
    private static final String TOKEN = "0123456789abcdef0123";

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aFreeLoopbackAddressIsFineWithoutAToken() throws Exception {
        String hp = "127.0.0.1:" + freePort();
        Check c = NodeChecks.http(hp, Map.of());
        assertEquals(Check.Status.OK, c.status(), c.render());
        assertEquals(hp + " is free (loopback, no token needed)", c.detail());
    }

    @Test
    void aPortHeldBySomethingElseWarns() throws Exception {
        try (ServerSocket busy = new ServerSocket(0)) {
            Check c = NodeChecks.http("127.0.0.1:" + busy.getLocalPort(), Map.of());
            assertEquals(Check.Status.WARN, c.status(), c.render());
            assertTrue(c.detail().contains("cannot be bound"), c.detail());
        }
    }

    @Test
    void aNonLoopbackBindWithoutATokenFailsNamingTheVariable() {
        Check c = NodeChecks.http("0.0.0.0:8080", Map.of());
        assertEquals(Check.Status.FAIL, c.status(), c.render());
        assertTrue(c.detail().contains("BITSWEEP_API_TOKEN"), c.detail());
    }

    @Test
    void aNonLoopbackBindWithATokenIsChecked() throws Exception {
        Check c = NodeChecks.http("0.0.0.0:" + freePort(), Map.of("BITSWEEP_API_TOKEN", TOKEN));
        assertEquals(Check.Status.OK, c.status(), c.render());
        assertTrue(c.detail().endsWith("(bearer token set)"), c.detail());
    }

    @Test
    void aShortTokenAndAMalformedAddressFail() {
        Check shortToken = NodeChecks.http("127.0.0.1:8080", Map.of("BITSWEEP_API_TOKEN", "short"));
        assertEquals(Check.Status.FAIL, shortToken.status(), shortToken.render());
        assertTrue(shortToken.detail().contains("shorter than 16"), shortToken.detail());
        Check malformed = NodeChecks.http("localhost", Map.of());
        assertEquals(Check.Status.FAIL, malformed.status(), malformed.render());
        assertTrue(malformed.detail().startsWith("--http:"), malformed.detail());
    }
}
