package bitsweep.cluster;

import bitsweep.cluster.BindPolicy.Mode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's decided transport security: TLS material (null when plain) and the mode it was decided in.
 *
 * @param tls  the node's key and trust stores, or null for plain TCP (or TLS set up in a
 *             {@code -Dbitsweep.config} file, which then applies by itself)
 * @param mode see {@link Mode}
 */
public record NodeSecurity(TlsMaterial tls, Mode mode) {
    private static final Logger log = LoggerFactory.getLogger(NodeSecurity.class);

    /** Plain TCP on loopback: local mode and tests. */
    public static NodeSecurity loopbackPlain() {
        return new NodeSecurity(null, Mode.LOOPBACK_PLAIN);
    }

    public static NodeSecurity tls(TlsMaterial tls) {
        return new NodeSecurity(tls, Mode.TLS);
    }

    /** Puts the TLS material (if any) into a node's configuration. */
    public ClusterConfig applyTo(ClusterConfig config) {
        return tls == null ? config : config.tls(tls);
    }

    public boolean insecure() {
        return mode == Mode.INSECURE;
    }

    /** Logs the decision; {@code --insecure} gets a warning nobody can miss. */
    public void announce(String what) {
        switch (mode) {
            case TLS -> log.info("{}: cluster traffic uses mutually authenticated TLS{}", what,
                    tls == null ? " (configured in bitsweep.config)" : " with " + tls.keyStore());
            case LOOPBACK_PLAIN -> log.info("{}: plain TCP on loopback only", what);
            case INSECURE -> log.warn("""
                    {}: *** INSECURE *** --insecure: cluster traffic is plain TCP on a network address. \
                    Anyone who can reach these ports can join the cluster, take over workers, assign trials, \
                    forge results and cancel the sweep. Use TLS ('bitsweep certs', --tls-dir) outside a fully \
                    trusted network.""", what);
        }
    }
}
