package bitsweep.sweep;

import java.util.Collection;
import java.util.Locale;

/**
 * Finds the known key nearest to a misspelt one, for "did you mean" hints: a known key that the
 * typed one abbreviates wins ({@code log_uniform} → {@code log_uniform_values}), otherwise the
 * smallest edit distance counting a swap of neighbours as one edit ({@code valuse} → {@code values}).
 */
final class KeySuggester {
    private KeySuggester() {
    }

    /** The nearest known key, or null when none is close enough to be a plausible typo. */
    static String nearest(String key, Collection<String> known) {
        String k = normal(key);
        String best = null;
        if (k.length() >= 3) {
            for (String candidate : known) {
                if (normal(candidate).startsWith(k) && (best == null || candidate.length() < best.length())) {
                    best = candidate;
                }
            }
            if (best != null) {
                return best;
            }
        }
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(k, normal(candidate));
            boolean closerLength = best != null && d == bestDistance
                    && Math.abs(candidate.length() - key.length()) < Math.abs(best.length() - key.length());
            if (d < bestDistance || closerLength) {
                bestDistance = d;
                best = candidate;
            }
        }
        int allowed = Math.max(2, key.length() / 3);
        return bestDistance <= allowed ? best : null;
    }

    private static String normal(String s) {
        return s.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Optimal-string-alignment distance: insert, delete, substitute, or swap adjacent characters. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
