package bitsweep.quant;

import bitsweep.autograd.ParameterGroup;

/**
 * Parameter-name suffixes that identify a quantizer parameter's role, and the optimiser group
 * (spec §8.1) each role belongs to. Everything else (weights, biases, BN scale/shift) is WEIGHTS.
 */
public final class ParameterRoles {

    public static final String GATE_LOG_ALPHA = "log_alpha";
    public static final String PRUNE_LOG_ALPHA = "prune_log_alpha";
    public static final String X_MAX = "x_max";
    public static final String X_MIN = "x_min";
    public static final String S2 = "s_2";

    private ParameterRoles() {
    }

    public static ParameterGroup groupOf(String parameterName) {
        if (parameterName.endsWith(GATE_LOG_ALPHA)) {
            return ParameterGroup.GATES;
        }
        if (parameterName.endsWith(X_MAX) || parameterName.endsWith(X_MIN) || parameterName.endsWith(S2)) {
            return ParameterGroup.RANGES;
        }
        return ParameterGroup.WEIGHTS;
    }
}
