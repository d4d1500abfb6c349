package bitsweep.cluster.certs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's {@code keytool}, run as a process. Passwords are handed over as {@code -storepass:env VAR}:
 * keytool reads them from its environment, so they never appear on a command line ({@code ps}).
 */
final class Keytool {
    private final Path binary;
    private final Map<String, String> secrets;

    /** @param secrets environment variables (the passwords) the keytool process gets, and nothing else secret */
    Keytool(Map<String, String> secrets) {
        this.binary = Path.of(System.getProperty("java.home"), "bin", "keytool");
        this.secrets = Map.copyOf(secrets);
    }

    void run(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        // a short-lived tool: the quick JIT tier and the serial collector halve its start-up
        cmd.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(secrets);
        Process p = pb.start();
        p.getOutputStream().close(); // never wait for an answer on stdin
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("keytool " + args[0] + " did not finish in 120 s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool " + args[0], e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed (exit " + p.exitValue() + "): " + out);
        }
    }
}
