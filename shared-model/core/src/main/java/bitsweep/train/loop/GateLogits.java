package bitsweep.train.loop;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import bitsweep.autograd.ParameterGroup;
import bitsweep.nn.BitsModel;
import bitsweep.quant.ParameterRoles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the gate logits of a model, grouped by quantizer: the DJL parameter path minus its role
 * suffix ({@code _log_alpha}, {@code _prune_log_alpha}) identifies the quantizer, e.g. {@code 01conv1_wq}. The bit gates (log α_4 … log α_32) are listed as
 * they are stored; a pruning-logit vector ({@code …prune_log_alpha}) is summarised as its mean under
 * {@code <quantizer>.prune_mean}.
 */
public final class GateLogits {
    private GateLogits() {
    }

    public static Map<String, double[]> read(BitsModel model) {
        Map<String, List<Double>> bitGates = new LinkedHashMap<>();
        Map<String, double[]> pruneMeans = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : model.block().getParameters()) {
            Parameter param = p.getValue();
            if (param.getArray() == null || model.groupOf(param) != ParameterGroup.GATES) {
                continue;
            }
            String full = p.getKey();
            boolean prune = full.endsWith(ParameterRoles.PRUNE_LOG_ALPHA);
            String role = "_" + (prune ? ParameterRoles.PRUNE_LOG_ALPHA : ParameterRoles.GATE_LOG_ALPHA);
            String quantizer = full.endsWith(role) ? full.substring(0, full.length() - role.length()) : full;
            float[] values = param.getArray().toFloatArray();
            if (prune) {
                double sum = 0;
                for (float v : values) {
                    sum += v;
                }
                pruneMeans.put(quantizer + ".prune_mean", new double[] {sum / values.length});
            } else {
                List<Double> list = bitGates.computeIfAbsent(quantizer, k -> new ArrayList<>());
                for (float v : values) {
                    list.add((double) v);
                }
            }
        }
        Map<String, double[]> merged = new LinkedHashMap<>();
        bitGates.forEach((q, vs) -> merged.put(q, vs.stream().mapToDouble(Double::doubleValue).toArray()));
        merged.putAll(pruneMeans);
        return merged;
    }
}
