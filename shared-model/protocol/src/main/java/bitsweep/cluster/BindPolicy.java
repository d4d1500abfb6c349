package bitsweep.cluster;

import bitsweep.cluster.ClusterConfig.HostPort;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Secure by default: a node whose cluster traffic can leave this machine (it binds or joins an address
 * that is not loopback) must use TLS, unless its operator said {@code --insecure}. Decided from the
 * addresses as written, without DNS: only 127.0.0.0/8, ::1 and localhost count as loopback.
 */
public final class BindPolicy {
    private static final Pattern LOOPBACK_V4 = Pattern.compile("127(\\.\\d{1,3}){3}");

    /** How a node's cluster traffic is protected. */
    public enum Mode {
        /** Mutually authenticated TLS against the cluster CA. */
        TLS,
        /** Plain TCP, but only on loopback addresses: nothing leaves this machine. */
        LOOPBACK_PLAIN,
        /** Plain TCP on a network address, because the operator passed {@code --insecure}. */
        INSECURE
    }

    private BindPolicy() {
    }

    public static boolean isLoopback(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
                || LOOPBACK_V4.matcher(h).matches();
    }

    /**
     * @param command   the command's name, for the message
     * @param addresses every address this node binds or joins
     * @throws InsecureBindException when a non-loopback address has neither TLS nor {@code --insecure}
     */
    public static Mode decide(String command, List<HostPort> addresses, boolean tls, boolean insecure) {
        if (tls) {
            return Mode.TLS;
        }
        List<HostPort> exposed = addresses.stream().filter(a -> !isLoopback(a.host())).distinct().toList();
        if (exposed.isEmpty()) {
            return Mode.LOOPBACK_PLAIN;
        }
        if (insecure) {
            return Mode.INSECURE;
        }
        throw new InsecureBindException(command, exposed);
    }

    /** A network address without TLS: says how to create certificates, or how to opt out. */
    public static final class InsecureBindException extends IllegalArgumentException {
        InsecureBindException(String command, List<HostPort> exposed) {
            super("refusing to use " + exposed.stream().map(HostPort::toString).toList()
                    + " without TLS: any host that reaches these ports could join the cluster, take over workers "
                    + "and forge or cancel trials.\n"
                    + "  Create certificates (passwords in BITSWEEP_CA_PASSWORD, " + TlsMaterial.KEYSTORE_PASSWORD_ENV
                    + ", " + TlsMaterial.TRUSTSTORE_PASSWORD_ENV + "):\n"
                    + "    bitsweep certs init --dir certs                                  (once per cluster)\n"
                    + "    bitsweep certs node --dir certs --name NAME --host HOST[,HOST...]  (once per machine)\n"
                    + "  then start with: bitsweep " + command + " ... --tls-dir certs/NAME\n"
                    + "  or pass --insecure to use plain TCP on a network you fully trust "
                    + "(docs/cluster.md, \"Security and TLS\").");
        }
    }
}
