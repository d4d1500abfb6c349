package bitsweep.orchestrator.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks an {@code Authorization: Bearer …} header against the API token in constant time. */
final class BearerAuth {
    private static final String PREFIX = "Bearer ";

    private BearerAuth() {
    }

    /** Whether {@code header} carries exactly {@code token}; false for a missing or malformed header. */
    static boolean matches(String header, String token) {
        if (header == null || header.length() < PREFIX.length()
                || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return false;
        }
        byte[] given = header.substring(PREFIX.length()).strip().getBytes(StandardCharsets.UTF_8);
        // MessageDigest.isEqual takes time independent of where the first difference is
        return MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8));
    }
}
