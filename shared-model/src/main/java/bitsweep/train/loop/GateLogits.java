package bitsweep.train.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import bitsweep.nn.BitsModel;
import bitsweep.nn.ParameterGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the gate logits of a model, grouped by quantizer: the DJL parameter path minus the
 * parameter's own name identifies the quantizer; scalar logits (log α_4 … log α_32) are listed in
 * parameter order, a pruning-logit vector is summarised as its mean under {@code <quantizer>.prune_mean}.
 */
public final class GateLogits {
    private GateLogits() {
    }

    public static Map<String, double[]> read(BitsModel model) {
        Map<String, List<Double>> scalars = new LinkedHashMap<>();
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : model.block().getParameters()) {
            Parameter param = p.getValue();
            if (param.getArray() == null || model.groupOf(param) != ParameterGroup.GATES) {
                continue;
            }
            String full = p.getKey();
            String own = "_" + param.getName();
            String quantizer = full.endsWith(own) ? full.substring(0, full.length() - own.length()) : full;
            NDArray a = param.getArray();
            float[] values = a.toFloatArray();
            if (values.length == 1) {
                scalars.computeIfAbsent(quantizer, k -> new ArrayList<>()).add((double) values[0]);
            } else {
                double sum = 0;
                for (float v : values) {
                    sum += v;
                }
                out.put(quantizer + ".prune_mean", new double[] {sum / values.length});
            }
        }
        Map<String, double[]> merged = new LinkedHashMap<>();
        scalars.forEach((q, vs) -> merged.put(q, vs.stream().mapToDouble(Double::doubleValue).toArray()));
        merged.putAll(out);
        return merged;
    }
}
