package bitsweep.sweep;

import bitsweep.trial.TrialResult;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of {@code results/<sweep>/trials.jsonl}: a trial's final state as the orchestrator knows
 * it. The frontier, report and export read only these lines plus the files they point to.
 *
 * @param spec      the trial
 * @param status    where it stands (written as {@code completed}, {@code failed}, … as always)
 * @param attempts  how many times it was started
 * @param error     last failure reason, or null
 * @param result    the trainer's result when completed, else null
 * @param artifact  path of the fixed-gate artifact relative to the results folder, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrialRecord(TrialSpec spec, TrialStatus status, int attempts, String error, TrialResult result,
                          String artifact) {
}
