package bitsweep.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a node needs for mutually authenticated TLS: its own key and certificate (a PKCS12 keystore made by
 * {@code bitsweep certs node}) and a truststore holding the cluster CA's certificate, with their passwords.
 * Passwords only ever come from the environment and never appear in {@link #toString()}.
 */
public record TlsMaterial(Path keyStore, Path trustStore, String keyStorePassword, String trustStorePassword) {
    public static final String KEYSTORE_PASSWORD_ENV = "BITSWEEP_KEYSTORE_PASSWORD";
    public static final String TRUSTSTORE_PASSWORD_ENV = "BITSWEEP_TRUSTSTORE_PASSWORD";
    public static final String NODE_KEYSTORE = "node.p12";
    public static final String TRUSTSTORE = "truststore.p12";

    public TlsMaterial {
        keyStore = keyStore.toAbsolutePath().normalize();
        trustStore = trustStore.toAbsolutePath().normalize();
    }

    /** {@code DIR/node.p12} and {@code DIR/truststore.p12}, as {@code bitsweep certs node} writes them. */
    public static TlsMaterial fromDir(Path dir, Map<String, String> env) {
        return of(dir.resolve(NODE_KEYSTORE), dir.resolve(TRUSTSTORE), env);
    }

    /**
     * Reads the passwords from {@code env} and opens both stores now, so that a wrong password or file is
     * reported at start-up with its name instead of as a failed handshake later.
     */
    public static TlsMaterial of(Path keyStore, Path trustStore, Map<String, String> env) {
        List<String> missing = new java.util.ArrayList<>();
        for (String var : List.of(KEYSTORE_PASSWORD_ENV, TRUSTSTORE_PASSWORD_ENV)) {
            if (env.get(var) == null || env.get(var).isEmpty()) {
                missing.add(var);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("TLS: set the keystore passwords in the environment, "
                    + KEYSTORE_PASSWORD_ENV + " (for " + NODE_KEYSTORE + ") and " + TRUSTSTORE_PASSWORD_ENV
                    + " (for " + TRUSTSTORE + "); missing: " + String.join(", ", missing));
        }
        TlsMaterial m = new TlsMaterial(keyStore, trustStore, env.get(KEYSTORE_PASSWORD_ENV),
                env.get(TRUSTSTORE_PASSWORD_ENV));
        KeyStore ks = open(m.keyStore, m.keyStorePassword, KEYSTORE_PASSWORD_ENV);
        KeyStore ts = open(m.trustStore, m.trustStorePassword, TRUSTSTORE_PASSWORD_ENV);
        if (!hasEntry(ks, true)) {
            throw new IllegalArgumentException("TLS: " + m.keyStore + " holds no private key (make it with "
                    + "'bitsweep certs node')");
        }
        if (!hasEntry(ts, false)) {
            throw new IllegalArgumentException("TLS: " + m.trustStore + " holds no trusted certificate");
        }
        return m;
    }

    private static KeyStore open(Path file, String password, String variable) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("TLS: " + file + ": no such file (create it with 'bitsweep certs node')");
        }
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS: cannot open " + file + " with the password in " + variable
                    + " (wrong password, or not a PKCS12 keystore): " + e.getMessage());
        }
    }

    /** True if {@code ks} holds a private key ({@code key}) or a trusted certificate ({@code !key}). */
    private static boolean hasEntry(KeyStore ks, boolean key) {
        try {
            for (String alias : Collections.list(ks.aliases())) {
                if (key ? ks.isKeyEntry(alias) : ks.isCertificateEntry(alias)) {
                    return true;
                }
            }
            return false;
        } catch (java.security.KeyStoreException e) {
            throw new IllegalArgumentException("TLS: cannot read a keystore: " + e.getMessage());
        }
    }

    /**
     * The {@code bitsweep.tls.*} system properties a device process gets on its command line: paths only.
     * Its passwords travel in {@link #childEnv()} and are read by {@code bitsweep-cluster.conf}.
     */
    public Map<String, String> childProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("bitsweep.tls.enabled", "on");
        p.put("bitsweep.tls.key-store", keyStore.toString());
        p.put("bitsweep.tls.trust-store", trustStore.toString());
        return p;
    }

    /** The environment of a device process: the passwords, never on a command line. */
    public Map<String, String> childEnv() {
        return Map.of(KEYSTORE_PASSWORD_ENV, keyStorePassword, TRUSTSTORE_PASSWORD_ENV, trustStorePassword);
    }

    @Override
    public String toString() {
        return "TlsMaterial[keyStore=" + keyStore + ", trustStore=" + trustStore + "]";
    }
}
