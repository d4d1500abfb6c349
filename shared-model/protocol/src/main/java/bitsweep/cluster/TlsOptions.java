package bitsweep.cluster;

import bitsweep.cluster.ClusterConfig.HostPort;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The TLS options of every node command ({@code orchestrator}, {@code worker}, {@code run}). */
public final class TlsOptions {

    @Option(names = "--tls-dir", paramLabel = "DIR",
            description = "this node's TLS material from 'bitsweep certs node': DIR/node.p12 and DIR/truststore.p12; "
                    + "passwords in BITSWEEP_KEYSTORE_PASSWORD and BITSWEEP_TRUSTSTORE_PASSWORD")
    Path tlsDir;

    @Option(names = "--tls-keystore", paramLabel = "FILE", description = "the node keystore (default: <tls-dir>/node.p12)")
    Path keyStore;

    @Option(names = "--tls-truststore", paramLabel = "FILE",
            description = "the truststore with the cluster CA (default: <tls-dir>/truststore.p12)")
    Path trustStore;

    @Option(names = "--insecure",
            description = "allow plain TCP on a non-loopback address (anyone who reaches the port can control the cluster)")
    boolean insecure;

    /** True when TLS files were named on the command line. */
    public boolean given() {
        return tlsDir != null || keyStore != null || trustStore != null;
    }

    /**
     * Decides this node's transport security from its addresses, the options and the environment (the
     * passwords); TLS configured in a {@code -Dbitsweep.config} file counts as TLS.
     *
     * @throws IllegalArgumentException with the message the command prints (exit code 2)
     */
    public NodeSecurity resolve(String command, List<HostPort> addresses, Map<String, String> env) {
        TlsMaterial tls = null;
        if (given()) {
            if ((keyStore == null || trustStore == null) && tlsDir == null) {
                throw new IllegalArgumentException("--tls-keystore and --tls-truststore go together (or use --tls-dir)");
            }
            Path ks = keyStore != null ? keyStore : tlsDir.resolve(TlsMaterial.NODE_KEYSTORE);
            Path ts = trustStore != null ? trustStore : tlsDir.resolve(TlsMaterial.TRUSTSTORE);
            tls = TlsMaterial.of(ks, ts, env);
        }
        boolean tlsOn = tls != null || ClusterConfig.node().build().getBoolean("bitsweep.tls.enabled");
        return new NodeSecurity(tls, BindPolicy.decide(command, addresses, tlsOn, insecure));
    }
}
