package bitsweep.io;

import java.util.regex.Pattern;

/**
 * Checks names that arrive from other nodes (trial ids, offered file names) before they become a
 * single path element. Refusing is safer than sanitising: two different names can sanitise to the
 * same file, and a refused name shows up in the logs instead of silently landing somewhere else.
 */
public final class SafeNames {
    /** Far below every file system's 255-byte element limit, with room for temp-file affixes. */
    public static final int MAX_LENGTH = 200;
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._-]+");

    private SafeNames() {
    }

    /**
     * Returns {@code name} when it is non-empty, at most {@link #MAX_LENGTH} characters, only
     * {@code [A-Za-z0-9._-]}, and does not start with a dot (so neither {@code .}, {@code ..} nor a
     * hidden file).
     *
     * @param what what the name is, for the error message ("trial id", "file name")
     * @throws IllegalArgumentException naming {@code what} and the offending value
     */
    public static String require(String what, String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException("invalid " + what + " " + quote(name) + ": " + problem);
        }
        return name;
    }

    /** Whether {@link #require} would accept {@code name}. */
    public static boolean isSafe(String name) {
        return problem(name) == null;
    }

    private static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "must not be empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " characters (" + name.length() + ")";
        }
        if (!ALLOWED.matcher(name).matches()) {
            return "only letters, digits, '.', '_' and '-' are allowed";
        }
        if (name.startsWith(".")) {
            return "must not start with '.'";
        }
        return null;
    }

    /** Quotes the value and keeps a hostile one from flooding the log. */
    private static String quote(String name) {
        if (name == null) {
            return "null";
        }
        String shown = name.length() > 80 ? name.substring(0, 80) + "..." : name;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
