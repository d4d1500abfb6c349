package bitsweep.sweep;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands {@code ${NAME}} and {@code ${NAME:-default}} in sweep-file strings (shell semantics: the
 * default applies when the variable is unset or empty), so one file works on machines whose data
 * lives in different places.
 */
final class EnvExpander {
    private static final Pattern REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

    private final Map<String, String> env;

    EnvExpander(Map<String, String> env) {
        this.env = env;
    }

    /** Returns the expanded text, or throws with a message saying what is wrong. */
    String expand(String text) {
        StringBuilder out = new StringBuilder();
        Matcher m = REF.matcher(text);
        int last = 0;
        while (m.find()) {
            checkNoStrayReference(text.substring(last, m.start()));
            out.append(text, last, m.start());
            String value = env.get(m.group(1));
            if (value == null || value.isEmpty()) {
                if (m.group(2) == null) {
                    throw new IllegalArgumentException("environment variable " + m.group(1) + " is not set; set it, "
                            + "or write ${" + m.group(1) + ":-DEFAULT} to give a default");
                }
                value = m.group(3);
            }
            out.append(value);
            last = m.end();
        }
        checkNoStrayReference(text.substring(last));
        out.append(text.substring(last));
        return out.toString();
    }

    private static void checkNoStrayReference(String literal) {
        if (literal.contains("${")) {
            throw new IllegalArgumentException("malformed variable reference in '" + literal
                    + "'; expected ${NAME} or ${NAME:-default}");
        }
    }
}
