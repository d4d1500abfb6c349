package bitsweep.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import bitsweep.autograd.ParameterGroup;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupedOptimizerTest {

    @Test
    void routesEachParameterToItsGroupsRuleAndScheduledRate() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter w = param(manager, "weight", 1f);
            Parameter g = param(manager, "log_alpha", 1f);
            Parameter r = param(manager, "x_max", 1f);
            PairList<String, Parameter> params = new PairList<>();
            params.add("fc_weight", w);
            params.add("fc_q_log_alpha", g);
            params.add("fc_q_x_max", r);
            Map<String, ParameterGroup> roles = Map.of("weight", ParameterGroup.WEIGHTS,
                    "log_alpha", ParameterGroup.GATES, "x_max", ParameterGroup.RANGES);
            // Ranges have no entry: a group without a spec is left untouched (frozen).
            try (GroupedOptimizer opt = new GroupedOptimizer(params, p -> roles.get(p.getName()), Map.of(
                    ParameterGroup.WEIGHTS, new GroupedOptimizer.GroupSpec(new UpdateRule.NesterovSgd(0), 0.1),
                    ParameterGroup.GATES, new GroupedOptimizer.GroupSpec(new UpdateRule.NesterovSgd(0), 0.01)),
                    manager)) {
                opt.setFactor(ParameterGroup.WEIGHTS, 0.5);
                for (Parameter p : new Parameter[] {w, g, r}) {
                    opt.update(p.getId(), p.getArray(), manager.ones(new Shape(1)));
                }
                assertArrayEquals(new float[] {1f - 0.05f}, w.getArray().toFloatArray(), 1e-7f);
                assertArrayEquals(new float[] {1f - 0.01f}, g.getArray().toFloatArray(), 1e-7f);
                assertArrayEquals(new float[] {1f}, r.getArray().toFloatArray());
                assertEquals(0.05, opt.learningRate(ParameterGroup.WEIGHTS), 1e-15);
                assertEquals(2, opt.snapshot().size());
            }
        }
    }

    private static Parameter param(NDManager manager, String name, float value) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.OTHER).build();
        NDArray a = manager.create(new float[] {value});
        p.setArray(a);
        return p;
    }
}
