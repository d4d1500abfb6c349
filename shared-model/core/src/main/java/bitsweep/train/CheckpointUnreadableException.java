package bitsweep.train;

import bitsweep.trial.TrialFailedException;

/**
 * The checkpoint a trial was asked to resume from cannot be read (corrupt, truncated, not a
 * checkpoint of this trial). Unlike other failures this says nothing about the trial itself: the
 * caller may start it again from epoch 1 without the checkpoint.
 */
public class CheckpointUnreadableException extends TrialFailedException {
    public CheckpointUnreadableException(String message, Throwable cause) {
        super(message, cause);
    }
}
