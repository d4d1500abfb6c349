package bitsweep.sweep;

import java.util.List;

/** A sweep file that cannot be used; {@link #problems()} are lines of the form {@code file:line:col: message}. */
public class SweepFileException extends Exception {
    private final List<String> problems;

    public SweepFileException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
