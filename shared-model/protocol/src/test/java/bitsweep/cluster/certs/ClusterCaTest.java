package bitsweep.cluster.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.cluster.TlsMaterial;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bitsweep certs}: one CA, node certificates signed by it with the node's hosts, owner-only files. */
class ClusterCaTest {
    static final Map<String, String> ENV = Map.of(ClusterCa.CA_PASSWORD_ENV, "ca-secret-1",
            TlsMaterial.KEYSTORE_PASSWORD_ENV, "node-secret-1", TlsMaterial.TRUSTSTORE_PASSWORD_ENV, "trust-secret-1");

    @TempDir
    Path dir;

    private static KeyStore load(Path file, String password) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            return ks;
        }
    }

    @Test
    void aNodeGetsAKeyAndACertificateSignedByTheClusterCaNamingItsHostsAndATruststoreWithOnlyTheCa()
            throws Exception {
        ClusterCa.init(dir, ENV);
        Path node = ClusterCa.node(dir, "gpu-1", List.of("10.0.0.6", "gpu1.lan", "localhost"), false, ENV);
        assertEquals(dir.resolve("gpu-1"), node);

        KeyStore ca = load(dir.resolve(ClusterCa.CA_KEYSTORE), "ca-secret-1");
        X509Certificate caCert = (X509Certificate) ca.getCertificate("ca");
        assertTrue(caCert.getBasicConstraints() >= 0, "the CA certificate is a CA");

        KeyStore ks = load(node.resolve(TlsMaterial.NODE_KEYSTORE), "node-secret-1");
        assertEquals(List.of("node"), Collections.list(ks.aliases()), "the node keystore holds its key only");
        X509Certificate cert = (X509Certificate) ks.getCertificate("node");
        cert.verify(caCert.getPublicKey()); // throws unless the cluster CA signed it
        assertEquals(caCert.getSubjectX500Principal(), cert.getIssuerX500Principal());
        assertEquals(-1, cert.getBasicConstraints(), "a node certificate cannot sign others");
        List<String> sans = cert.getSubjectAlternativeNames().stream().map(l -> l.get(1).toString()).toList();
        assertEquals(List.of("10.0.0.6", "gpu1.lan", "localhost"), sans);
        assertEquals(2, ks.getCertificateChain("node").length, "chain: node, CA");

        KeyStore ts = load(node.resolve(TlsMaterial.TRUSTSTORE), "trust-secret-1");
        List<String> aliases = Collections.list(ts.aliases());
        assertEquals(1, aliases.size(), "the truststore holds exactly one certificate: " + aliases);
        assertTrue(ts.isCertificateEntry(aliases.get(0)));
        assertEquals(caCert, ts.getCertificate(aliases.get(0)));

        // what a node loads at start: both stores open with the environment's passwords
        TlsMaterial.fromDir(node, ENV);
    }

    @Test
    void everyFileAndFolderIsOwnerOnlyAndNoStagingIsLeftBehind() throws Exception {
        Path certs = dir.resolve("certs");
        ClusterCa.init(certs, ENV);
        ClusterCa.node(certs, "n1", List.of("127.0.0.1"), false, ENV);
        try (Stream<Path> all = Files.walk(certs)) {
            for (Path p : all.toList()) {
                String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                assertEquals(Files.isDirectory(p) ? "rwx------" : "rw-------", perms, p.toString());
                assertFalse(p.getFileName().toString().startsWith(".bitsweep-certs-"), "staging left: " + p);
            }
        }
        assertTrue(Files.exists(certs.resolve("n1").resolve(TlsMaterial.NODE_KEYSTORE)));
    }

    @Test
    void anExistingCaIsNeverReplacedAndAnExistingNodeOnlyWithForce() throws Exception {
        ClusterCa.init(dir, ENV);
        byte[] before = Files.readAllBytes(dir.resolve(ClusterCa.CA_KEYSTORE));
        IllegalArgumentException again = assertThrows(IllegalArgumentException.class, () -> ClusterCa.init(dir, ENV));
        assertTrue(again.getMessage().contains("already has a cluster CA"), again.getMessage());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(dir.resolve(ClusterCa.CA_KEYSTORE))));

        ClusterCa.node(dir, "n1", List.of("127.0.0.1"), false, ENV);
        IllegalArgumentException exists = assertThrows(IllegalArgumentException.class,
                () -> ClusterCa.node(dir, "n1", List.of("127.0.0.1"), false, ENV));
        assertTrue(exists.getMessage().contains("--force"), exists.getMessage());
        ClusterCa.node(dir, "n1", List.of("127.0.0.2"), true, ENV);
        X509Certificate reissued = (X509Certificate) load(dir.resolve("n1").resolve(TlsMaterial.NODE_KEYSTORE),
                "node-secret-1").getCertificate("node");
        assertEquals("127.0.0.2", reissued.getSubjectAlternativeNames().iterator().next().get(1));
    }

    @Test
    void missingPasswordsAreNamedWithoutWritingAnything() throws Exception {
        IllegalArgumentException noCa = assertThrows(IllegalArgumentException.class, () -> ClusterCa.init(dir, Map.of()));
        assertTrue(noCa.getMessage().contains(ClusterCa.CA_PASSWORD_ENV), noCa.getMessage());
        ClusterCa.init(dir, ENV);
        IllegalArgumentException noNode = assertThrows(IllegalArgumentException.class, () -> ClusterCa.node(dir, "n1",
                List.of("127.0.0.1"), false, Map.of(ClusterCa.CA_PASSWORD_ENV, "ca-secret-1")));
        assertTrue(noNode.getMessage().contains(TlsMaterial.KEYSTORE_PASSWORD_ENV), noNode.getMessage());
        assertFalse(Files.exists(dir.resolve("n1").resolve(TlsMaterial.NODE_KEYSTORE)));

        IllegalArgumentException noTls = assertThrows(IllegalArgumentException.class,
                () -> TlsMaterial.fromDir(dir, Map.of()));
        assertTrue(noTls.getMessage().contains(TlsMaterial.KEYSTORE_PASSWORD_ENV)
                && noTls.getMessage().contains(TlsMaterial.TRUSTSTORE_PASSWORD_ENV), noTls.getMessage());

    }

    @Test
    void hostsThatAreNeitherNamesNorAddressesAreRejectedBeforeKeytoolSeesThem() {
        assertEquals("ip:10.0.0.5,dns:gpu1.lan,ip:::1", ClusterCa.subjectAltNames(List.of("10.0.0.5", "gpu1.lan", "::1")));
        for (String bad : List.of("a,dns:evil", "host name", "-ext", "")) {
            assertThrows(IllegalArgumentException.class, () -> ClusterCa.subjectAltNames(List.of(bad)), bad);
        }
    }
}
