package bitsweep.orchestrator.api;

import java.util.Locale;

/** The Host headers a token-less (loopback) API answers: loopback names only (DNS rebinding protection). */
final class TokenlessHosts {
    private TokenlessHosts() {
    }

    static boolean allowed(String hostHeader) {
        String h = hostHeader.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 && h.substring(1, end).equals("::1");
        }
        int colon = h.indexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        return name.equals("localhost") || name.equals("127.0.0.1") || name.startsWith("127.");
    }
}
