package bitsweep.train;

import bitsweep.data.ImageDataset;
import bitsweep.trial.TrialConfig;
import java.io.IOException;

/** Opens a trial's training or test split (normally {@link bitsweep.data.Datasets#open}). */
@FunctionalInterface
public interface DatasetSource {
    ImageDataset open(TrialConfig resolved, boolean train) throws IOException;
}
