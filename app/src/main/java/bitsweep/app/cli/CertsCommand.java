package bitsweep.app.cli;

import bitsweep.cluster.certs.ClusterCa;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bitsweep certs init|node}: the cluster CA and the nodes' TLS material (see {@link ClusterCa}).
 * Passwords come only from the environment. Bad input and a missing password exit 2, a keytool failure exits 1
 * ({@link CliErrors}).
 */
@Command(name = "certs", mixinStandardHelpOptions = true,
        description = "Create TLS material for a cluster: one CA ('init'), then one key pair and certificate per "
                + "node ('node'). Passwords from BITSWEEP_CA_PASSWORD, BITSWEEP_KEYSTORE_PASSWORD, "
                + "BITSWEEP_TRUSTSTORE_PASSWORD.",
        subcommands = {CertsCommand.Init.class, CertsCommand.Node.class})
public final class CertsCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new IllegalArgumentException("name a step, 'init' or 'node' (see bitsweep certs --help)");
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Create the cluster CA: DIR/ca.p12 (its private key: keep it off the nodes, password "
                    + "BITSWEEP_CA_PASSWORD) and DIR/ca.crt.")
    static final class Init implements Callable<Integer> {
        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the CA's folder")
        Path dir;

        @Override
        public Integer call() throws IOException {
            ClusterCa.init(dir, System.getenv());
            System.out.println("cluster CA: " + dir.resolve(ClusterCa.CA_KEYSTORE) + " and "
                    + dir.resolve(ClusterCa.CA_CERT));
            return 0;
        }
    }

    @Command(name = "node", mixinStandardHelpOptions = true,
            description = "Issue a node's key pair and a certificate signed by the cluster CA, naming the node's "
                    + "hosts: DIR/NAME/node.p12 (password BITSWEEP_KEYSTORE_PASSWORD) and DIR/NAME/truststore.p12 "
                    + "(the CA certificate only, password BITSWEEP_TRUSTSTORE_PASSWORD). Copy DIR/NAME to the node "
                    + "and start it with --tls-dir.")
    static final class Node implements Callable<Integer> {
        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the CA's folder (from 'init')")
        Path dir;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "the node's name (its folder)")
        String name;

        @Option(names = "--host", required = true, split = ",", paramLabel = "HOST",
                description = "host names and IP addresses other nodes reach this one at (its --bind host)")
        List<String> hosts;

        @Option(names = "--force", description = "replace the node's existing key pair and certificate")
        boolean force;

        @Override
        public Integer call() throws IOException {
            Path out = ClusterCa.node(dir, name, hosts, force, System.getenv());
            System.out.println("node " + name + ": " + out + " (start it with --tls-dir " + out + ")");
            return 0;
        }
    }
}
