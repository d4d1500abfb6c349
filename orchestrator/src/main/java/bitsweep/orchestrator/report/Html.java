package bitsweep.orchestrator.report;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Escaping and number formatting for the HTML report. */
public final class Html {
    private Html() {
    }

    /** Escapes text for element content and quoted attribute values. */
    static String esc(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A relative link target: each path segment percent-encoded, then HTML-escaped. */
    static String href(String relativePath) {
        StringBuilder out = new StringBuilder();
        for (String segment : relativePath.split("/", -1)) {
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return esc(out.toString());
    }

    static String num(Double value, int decimals) {
        if (value == null || !Double.isFinite(value)) {
            return "";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** MU and other values spanning decades: shortest round-trip form. */
    public static String plain(Double value) {
        return value == null ? "" : stripZeros(java.math.BigDecimal.valueOf(value).toPlainString());
    }

    private static String stripZeros(String s) {
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds <= 0) {
            return "";
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }

    static String bytes(long n) {
        if (n <= 0) {
            return "";
        }
        if (n < 10_000) {
            return n + " B";
        }
        if (n < 10_000_000) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024.0));
    }
}
