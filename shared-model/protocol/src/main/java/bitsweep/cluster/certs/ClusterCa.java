package bitsweep.cluster.certs;

import bitsweep.cluster.TlsMaterial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One certificate authority per cluster, one key pair per node. {@link #init} makes the CA
 * ({@code DIR/ca.p12}: its private key, which stays with the operator; {@code DIR/ca.crt}); {@link #node}
 * makes {@code DIR/NAME/node.p12} (the node's key and its certificate, signed by the CA, naming its hosts
 * as subjectAltNames) and {@code DIR/NAME/truststore.p12} (the CA certificate only). Everything is done
 * with the JDK's keytool (no extra dependency, the same tool operators already know to inspect the files).
 */
public final class ClusterCa {
    private static final Logger log = LoggerFactory.getLogger(ClusterCa.class);
    public static final String CA_PASSWORD_ENV = "BITSWEEP_CA_PASSWORD";
    public static final String CA_KEYSTORE = "ca.p12";
    public static final String CA_CERT = "ca.crt";
    public static final String NODE_CERT = "node.crt";
    static final int CA_VALIDITY_DAYS = 3650;
    static final int NODE_VALIDITY_DAYS = 825;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern DNS = Pattern.compile("[A-Za-z0-9*]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");

    private ClusterCa() {
    }

    /** Creates the cluster CA in {@code dir}; refuses to replace an existing one (that would orphan every node). */
    public static void init(Path dir, Map<String, String> env) throws IOException {
        String caPassword = required(env, CA_PASSWORD_ENV, "protects the CA's private key in " + CA_KEYSTORE);
        PrivateFiles.directory(dir);
        if (Files.exists(dir.resolve(CA_KEYSTORE))) {
            throw new IllegalArgumentException(dir.resolve(CA_KEYSTORE) + " exists: this folder already has a cluster "
                    + "CA. A new CA invalidates every node certificate; delete " + CA_KEYSTORE + " and " + CA_CERT
                    + " first if that is what you want");
        }
        Keytool keytool = new Keytool(Map.of(CA_PASSWORD_ENV, caPassword));
        Path staging = PrivateFiles.staging(dir);
        try {
            Path ks = staging.resolve(CA_KEYSTORE);
            keytool.run("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp384r1",
                    "-dname", "CN=BitSweep cluster CA " + dir.toAbsolutePath().getFileName(),
                    "-ext", "bc:c=ca:true,pathlen:0", "-ext", "ku:c=keyCertSign,cRLSign",
                    "-validity", Integer.toString(CA_VALIDITY_DAYS),
                    "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass:env", CA_PASSWORD_ENV);
            keytool.run("-exportcert", "-rfc", "-alias", "ca", "-keystore", ks.toString(),
                    "-storepass:env", CA_PASSWORD_ENV, "-file", staging.resolve(CA_CERT).toString());
            PrivateFiles.publish(staging.resolve(CA_CERT), dir.resolve(CA_CERT));
            PrivateFiles.publish(ks, dir.resolve(CA_KEYSTORE));
        } finally {
            PrivateFiles.deleteTree(staging);
        }
        log.info("cluster CA created: {} (private key: keep it off the nodes), {}", dir.resolve(CA_KEYSTORE),
                dir.resolve(CA_CERT));
    }

    /**
     * Issues a node's key pair and certificate, signed by the CA in {@code dir}, into {@code dir/name/}.
     *
     * @param hosts every host name and IP address other nodes use to reach this node (its {@code --bind} host)
     * @param force replace an existing node.p12 (re-issuing, e.g. after a host change)
     * @return the node's folder, for {@code --tls-dir}
     */
    public static Path node(Path dir, String name, List<String> hosts, boolean force, Map<String, String> env)
            throws IOException {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("--name: letters, digits, '.', '_' and '-' only, got '" + name + "'");
        }
        String san = subjectAltNames(hosts);
        if (!Files.isRegularFile(dir.resolve(CA_KEYSTORE)) || !Files.isRegularFile(dir.resolve(CA_CERT))) {
            throw new IllegalArgumentException(dir + " has no cluster CA (" + CA_KEYSTORE + ", " + CA_CERT
                    + "): run 'bitsweep certs init --dir " + dir + "' first");
        }
        String caPassword = required(env, CA_PASSWORD_ENV, "unlocks the CA's private key to sign the node certificate");
        String ksPassword = required(env, TlsMaterial.KEYSTORE_PASSWORD_ENV, "protects " + TlsMaterial.NODE_KEYSTORE);
        String tsPassword = required(env, TlsMaterial.TRUSTSTORE_PASSWORD_ENV, "protects " + TlsMaterial.TRUSTSTORE);
        Path nodeDir = PrivateFiles.directory(dir.resolve(name));
        if (!force && Files.exists(nodeDir.resolve(TlsMaterial.NODE_KEYSTORE))) {
            throw new IllegalArgumentException(nodeDir.resolve(TlsMaterial.NODE_KEYSTORE)
                    + " exists; pass --force to issue a new key pair and certificate for " + name);
        }
        Keytool keytool = new Keytool(Map.of(CA_PASSWORD_ENV, caPassword,
                TlsMaterial.KEYSTORE_PASSWORD_ENV, ksPassword, TlsMaterial.TRUSTSTORE_PASSWORD_ENV, tsPassword));
        String ca = dir.resolve(CA_KEYSTORE).toString();
        String caCert = dir.resolve(CA_CERT).toString();
        Path staging = PrivateFiles.staging(nodeDir);
        try {
            String ks = staging.resolve(TlsMaterial.NODE_KEYSTORE).toString();
            String ts = staging.resolve(TlsMaterial.TRUSTSTORE).toString();
            String csr = staging.resolve("node.csr").toString();
            String crt = staging.resolve(NODE_CERT).toString();
            String ksPass = TlsMaterial.KEYSTORE_PASSWORD_ENV;
            keytool.run("-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=" + name + ", O=BitSweep", "-validity", Integer.toString(NODE_VALIDITY_DAYS),
                    "-storetype", "PKCS12", "-keystore", ks, "-storepass:env", ksPass);
            keytool.run("-certreq", "-alias", "node", "-keystore", ks, "-storepass:env", ksPass, "-file", csr);
            keytool.run("-gencert", "-alias", "ca", "-keystore", ca, "-storepass:env", CA_PASSWORD_ENV,
                    "-infile", csr, "-outfile", crt, "-rfc", "-validity", Integer.toString(NODE_VALIDITY_DAYS),
                    "-ext", "san=" + san, "-ext", "ku:c=digitalSignature", "-ext", "eku=serverAuth,clientAuth");
            // the CA must be in the keystore for keytool to accept the signed reply; removed again afterwards
            keytool.run("-importcert", "-noprompt", "-alias", "ca", "-file", caCert, "-keystore", ks,
                    "-storepass:env", ksPass);
            keytool.run("-importcert", "-noprompt", "-alias", "node", "-file", crt, "-keystore", ks,
                    "-storepass:env", ksPass);
            keytool.run("-delete", "-alias", "ca", "-keystore", ks, "-storepass:env", ksPass);
            keytool.run("-importcert", "-noprompt", "-alias", "bitsweep-ca", "-file", caCert, "-storetype", "PKCS12",
                    "-keystore", ts, "-storepass:env", TlsMaterial.TRUSTSTORE_PASSWORD_ENV);
            PrivateFiles.publish(Path.of(crt), nodeDir.resolve(NODE_CERT));
            PrivateFiles.publish(Path.of(ts), nodeDir.resolve(TlsMaterial.TRUSTSTORE));
            PrivateFiles.publish(Path.of(ks), nodeDir.resolve(TlsMaterial.NODE_KEYSTORE));
        } finally {
            PrivateFiles.deleteTree(staging);
        }
        log.info("node {}: {} and {} (certificate for {})", name, nodeDir.resolve(TlsMaterial.NODE_KEYSTORE),
                nodeDir.resolve(TlsMaterial.TRUSTSTORE), san);
        return nodeDir;
    }

    /** {@code ip:10.0.0.5,dns:gpu1.lan}: each host checked, so nothing else can reach keytool's -ext syntax. */
    static String subjectAltNames(List<String> hosts) {
        List<String> out = new ArrayList<>();
        for (String raw : hosts) {
            String h = raw.trim();
            if (IPV4.matcher(h).matches() || IPV6.matcher(h).matches()) {
                out.add("ip:" + h);
            } else if (DNS.matcher(h).matches() && h.length() <= 253) {
                out.add("dns:" + h);
            } else {
                throw new IllegalArgumentException("--host: expected a host name or IP address, got '" + raw + "'");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--host: name at least one host name or IP address of the node");
        }
        return String.join(",", out);
    }

    private static String required(Map<String, String> env, String variable, String purpose) {
        String v = env.get(variable);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("set " + variable + " in the environment (it " + purpose + ")");
        }
        if (v.length() < 6) {
            throw new IllegalArgumentException(variable + ": keytool needs a password of at least 6 characters");
        }
        return v;
    }
}
