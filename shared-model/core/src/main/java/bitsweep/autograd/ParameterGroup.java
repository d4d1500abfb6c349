package bitsweep.autograd;

/** Optimiser group of a parameter (spec §8.1); each has its own optimiser and learning rate. */
public enum ParameterGroup {
    /** conv/linear weights and biases, batch-norm scale and shift */
    WEIGHTS,
    /** gate logits log α_2 … log α_32 */
    GATES,
    /** x_max (and the inert x_min), or s_2 in scale mode */
    RANGES
}
