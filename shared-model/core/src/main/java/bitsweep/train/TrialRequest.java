package bitsweep.train;

import bitsweep.trial.TrialConfig;
import java.nio.file.Path;

/**
 * One trial to run on one device.
 *
 * @param trialId    stable id of the trial (from the sweep; any string for a single {@code train})
 * @param config     the trial's settings (resolved or not; the runner resolves)
 * @param workDir    directory the runner owns: checkpoints, {@code result.json}, the fixed-gate artifact
 * @param resumeFrom checkpoint file to continue from, or {@code null} to start fresh
 * @param device     DJL device name: {@code cpu()}, {@code gpu(0)}, … or {@code auto}
 * @param attempt    which attempt of the trial this is (1 for a single {@code train})
 */
public record TrialRequest(String trialId, TrialConfig config, Path workDir, Path resumeFrom, String device,
                           int attempt) {

    /** A first attempt. */
    public TrialRequest(String trialId, TrialConfig config, Path workDir, Path resumeFrom, String device) {
        this(trialId, config, workDir, resumeFrom, device, 1);
    }
}
