package bitsweep.train;

import ai.djl.ndarray.NDManager;
import bitsweep.nn.BitsModel;
import bitsweep.trial.TrialConfig;

/** Builds the network a resolved trial configuration asks for, with its arrays in {@code manager}. */
@FunctionalInterface
public interface ModelFactory {
    BitsModel create(TrialConfig resolved, NDManager manager) throws java.io.IOException;
}
