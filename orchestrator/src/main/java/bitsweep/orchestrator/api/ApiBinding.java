package bitsweep.orchestrator.api;

import bitsweep.cluster.ClusterConfig.HostPort;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * Where the dashboard and API listen ({@code --http HOST:PORT}) and the bearer token they require.
 * Loopback binds may go without a token (only this machine reaches them); any other bind refuses to
 * start without one: the API can cancel and extend sweeps.
 *
 * @param token the bearer token every request but {@code /healthz} and the static page must carry, or
 *              null (loopback without {@value #TOKEN_VARIABLE} set)
 */
public record ApiBinding(String host, int port, String token) {
    public static final String TOKEN_VARIABLE = "BITSWEEP_API_TOKEN";
    /** Short tokens are guessable; 16 characters is the least a random token should have. */
    public static final int MIN_TOKEN_LENGTH = 16;

    @Override
    public String toString() {
        return "ApiBinding[" + host + ":" + port + (token == null ? ", no token]" : ", token set]");
    }

    /**
     * Parses {@code --http HOST:PORT} and takes the token from {@value #TOKEN_VARIABLE} in {@code env}.
     *
     * @throws IllegalArgumentException naming the option and what is expected
     */
    public static ApiBinding parse(String hostPort, Map<String, String> env) {
        HostPort hp;
        try {
            hp = HostPort.parse(hostPort);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--http: " + e.getMessage());
        }
        if (hp.port() < 0 || hp.port() > 65535) {
            throw new IllegalArgumentException("--http: port must be 0..65535, got " + hp.port());
        }
        String token = env.get(TOKEN_VARIABLE);
        if (token != null && token.isBlank()) {
            token = null;
        }
        if (token != null && token.strip().length() < MIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException(TOKEN_VARIABLE + " is shorter than " + MIN_TOKEN_LENGTH
                    + " characters; use a random token, e.g. `openssl rand -hex 24`");
        }
        if (token == null && !isLoopback(hp.host())) {
            throw new IllegalArgumentException("--http " + hostPort + " is reachable from other machines, so the API "
                    + "needs a bearer token: set " + TOKEN_VARIABLE + " (at least " + MIN_TOKEN_LENGTH
                    + " characters, e.g. `export " + TOKEN_VARIABLE + "=$(openssl rand -hex 24)`) or bind 127.0.0.1");
        }
        return new ApiBinding(hp.host(), hp.port(), token == null ? null : token.strip());
    }

    static boolean isLoopback(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--http: unknown host '" + host + "'");
        }
    }
}
