package bitsweep.trial;

import java.util.List;

/** A trial configuration that cannot run; {@link #problems()} holds one line per bad flag. */
public class InvalidTrialConfigException extends IllegalArgumentException {
    private final List<String> problems;

    public InvalidTrialConfigException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
