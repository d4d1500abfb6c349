package bitsweep.app.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private network of Linux network namespaces for partition tests: one namespace per node, each with one
 * veth link ({@code eth0}, 10.77.0.N/24) into a hub namespace whose bridge connects them all. Nothing is
 * added to the host's own namespace (no interfaces, routes or addresses), names are unique per run, and
 * {@link #close} deletes every namespace it made (their veths go with them).
 *
 * <p>{@link #cut} takes a node's link down at the hub (a pulled cable: its packets go nowhere, no reset is
 * sent to anyone) and {@link #heal} brings it back.
 */
final class NetworkNamespaces implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NetworkNamespaces.class);
    private static final String SUBNET = "10.77.0.";

    private final String prefix;
    private final String hub;
    private final List<String> namespaces = new ArrayList<>();
    private final Map<String, String> addresses = new LinkedHashMap<>();

    private NetworkNamespaces(String prefix) {
        this.prefix = prefix;
        this.hub = prefix + "-hub";
    }

    /**
     * A fresh hub, or the test is skipped (not root, no {@code ip}, no namespace support here) — except under
     * {@code CI=true}, where it fails: CI runs as root and must run the partition tests.
     */
    static NetworkNamespaces require() {
        String prefix = "bsp" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
        NetworkNamespaces net = new NetworkNamespaces(prefix);
        try {
            net.addNamespace(net.hub);
            net.ip("-n", net.hub, "link", "add", "br0", "type", "bridge");
            net.ip("-n", net.hub, "link", "set", "br0", "up");
            return net;
        } catch (IOException | RuntimeException e) {
            net.close();
            String why = "no network namespaces for the partition test (needs root and iproute2's ip: "
                    + "apt-get install iproute2): " + e.getMessage();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(why + "; CI must run the partition test");
            }
            Assumptions.abort(why);
            throw new AssertionError(why); // not reached
        }
    }

    /** Adds a node's namespace linked to the hub; returns its address. */
    String addNode(String node) throws IOException {
        String ns = namespace(node);
        String address = address(addresses.size() + 1);
        addNamespace(ns);
        ip("-n", hub, "link", "add", port(node), "type", "veth", "peer", "name", "eth0", "netns", ns);
        ip("-n", hub, "link", "set", port(node), "master", "br0", "up");
        ip("-n", ns, "addr", "add", address + "/24", "dev", "eth0");
        ip("-n", ns, "link", "set", "eth0", "up");
        ip("-n", ns, "link", "set", "lo", "up");
        addresses.put(node, address);
        return address;
    }

    /** The address the {@code n}-th node added (from 1) gets: fixed, so certificates can be made beforehand. */
    static String address(int n) {
        return SUBNET + n;
    }

    /** The command prefix that runs a program inside {@code node}'s namespace ({@code ip netns exec} execs it). */
    List<String> exec(String node) {
        return List.of("ip", "netns", "exec", namespace(node));
    }

    String address(String node) {
        return addresses.get(node);
    }

    /** Cuts {@code node} off from every other node. */
    void cut(String node) throws IOException {
        ip("-n", hub, "link", "set", port(node), "down");
        log.info("network: {} ({}) cut off", node, addresses.get(node));
    }

    void heal(String node) throws IOException {
        ip("-n", hub, "link", "set", port(node), "up");
        log.info("network: {} ({}) linked again", node, addresses.get(node));
    }

    private String namespace(String node) {
        return prefix + "-" + node;
    }

    /** The hub's end of a node's link; interface names have at most 15 characters. */
    private static String port(String node) {
        String name = "p-" + node;
        return name.length() <= 15 ? name : name.substring(0, 15);
    }

    private void addNamespace(String ns) throws IOException {
        ip("netns", "add", ns);
        namespaces.add(ns);
    }

    private static void ip(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": no answer in 20 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", cmd) + ": interrupted", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): " + out);
        }
    }

    /** Deletes every namespace made here, nodes first; a namespace's veth ends are deleted with it. */
    @Override
    public void close() {
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            try {
                ip("netns", "del", namespaces.get(i));
            } catch (IOException e) {
                log.warn("could not delete network namespace {}: {}", namespaces.get(i), e.getMessage());
            }
        }
        namespaces.clear();
    }
}
