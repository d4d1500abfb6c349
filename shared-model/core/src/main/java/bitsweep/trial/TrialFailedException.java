package bitsweep.trial;

/** A trial that cannot finish; the message is shown to users and recorded as the failure reason. */
public class TrialFailedException extends Exception {
    public TrialFailedException(String message) {
        super(message);
    }

    public TrialFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
