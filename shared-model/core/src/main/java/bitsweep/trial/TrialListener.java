package bitsweep.trial;

import java.nio.file.Path;

/** Callbacks from a running trial; called on the training thread, so keep them cheap. */
public interface TrialListener {

    /** After every evaluation (and every epoch without one). */
    default void onEpoch(EpochMetrics metrics) {
    }

    /**
     * One training or evaluation batch is done: the trainer is alive and advancing. Called very often,
     * so it must be trivially cheap (e.g. bump a counter).
     */
    default void onBatch() {
    }

    /** A complete, atomically written checkpoint that a later run can resume from. */
    default void onCheckpoint(int epoch, Path checkpointFile) {
    }

    TrialListener NONE = new TrialListener() {
    };
}
