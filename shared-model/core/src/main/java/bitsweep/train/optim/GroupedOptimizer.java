package bitsweep.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import bitsweep.autograd.ParameterGroup;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One DJL {@link Optimizer} that routes every parameter to its group's rule and learning rate
 * (spec §8.1: weights / gates / ranges, each Adam or Nesterov SGD with its own LR). DJL gives a
 * trainer a single optimizer, so the per-group optimisers of the reference live inside this one.
 *
 * <p>State is keyed by the parameter's DJL id for routing and by its hierarchical name for
 * checkpoints (ids are random per model instance; names are stable).
 */
public final class GroupedOptimizer extends Optimizer implements AutoCloseable {

    /** Rule and base LR of one group. */
    public record GroupSpec(UpdateRule rule, double baseLr) {
    }

    private final Map<ParameterGroup, GroupSpec> groups;
    private final Map<ParameterGroup, Double> currentLr = new EnumMap<>(ParameterGroup.class);
    private final Map<String, ParameterGroup> groupById = new HashMap<>();
    private final Map<String, String> nameById = new HashMap<>();
    private final Map<String, SlotState> stateById = new HashMap<>();
    private final NDManager stateManager;

    /**
     * @param parameters the trainable parameters (name, parameter) of the model
     * @param groupOf    the model's parameter → group routing
     * @param groups     rule and base LR per group; parameters of a group missing here are frozen
     */
    public GroupedOptimizer(PairList<String, Parameter> parameters, Function<Parameter, ParameterGroup> groupOf,
                            Map<ParameterGroup, GroupSpec> groups, NDManager stateManager) {
        super(new NoOptionsBuilder());
        this.groups = new EnumMap<>(groups);
        this.stateManager = stateManager;
        for (Pair<String, Parameter> p : parameters) {
            groupById.put(p.getValue().getId(), groupOf.apply(p.getValue()));
            nameById.put(p.getValue().getId(), p.getKey());
        }
        groups.forEach((g, spec) -> currentLr.put(g, spec.baseLr()));
    }

    /** Sets group {@code g}'s LR to {@code factor × base} (the scheduler's job). */
    public void setFactor(ParameterGroup g, double factor) {
        GroupSpec spec = groups.get(g);
        if (spec != null) {
            currentLr.put(g, spec.baseLr() * factor);
        }
    }

    public double learningRate(ParameterGroup g) {
        return currentLr.getOrDefault(g, 0.0);
    }

    public boolean routes(String parameterId) {
        ParameterGroup g = groupById.get(parameterId);
        return g != null && groups.containsKey(g);
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        ParameterGroup g = groupById.get(parameterId);
        GroupSpec spec = g == null ? null : groups.get(g);
        if (spec == null) {
            return;
        }
        SlotState state = stateById.computeIfAbsent(parameterId, id -> keep(spec.rule().newState(weight, stateManager)));
        try (NDScope scope = new NDScope()) {
            spec.rule().apply(weight, grad, state, currentLr.get(g));
        }
    }

    /** State outlives the step's {@link NDScope}: take it out of any enclosing scope. */
    private static SlotState keep(SlotState s) {
        NDScope.unregister(s.first());
        if (s.second() != null) {
            NDScope.unregister(s.second());
        }
        return s;
    }

    /** Snapshot of every slot by parameter name, as host arrays (for checkpoints). */
    public Map<String, SlotSnapshot> snapshot() {
        Map<String, SlotSnapshot> out = new LinkedHashMap<>();
        stateById.forEach((id, s) -> out.put(nameById.get(id), new SlotSnapshot(s.step(),
                s.first().getShape().getShape(), s.first().toFloatArray(),
                s.second() == null ? null : s.second().toFloatArray())));
        return out;
    }

    /** Restores slots saved by {@link #snapshot()}; parameters are matched by name. */
    public void restore(Map<String, SlotSnapshot> saved, PairList<String, Parameter> parameters) {
        Map<String, Parameter> byName = new HashMap<>();
        for (Pair<String, Parameter> p : parameters) {
            byName.put(p.getKey(), p.getValue());
        }
        for (Map.Entry<String, SlotSnapshot> e : saved.entrySet()) {
            Parameter p = byName.get(e.getKey());
            if (p == null) {
                throw new IllegalStateException("checkpoint holds optimizer state for unknown parameter " + e.getKey());
            }
            SlotSnapshot s = e.getValue();
            ai.djl.ndarray.types.Shape shape = new ai.djl.ndarray.types.Shape(s.shape());
            NDArray first = stateManager.create(s.first(), shape).toDevice(p.getArray().getDevice(), false);
            NDArray second = s.second() == null ? null
                    : stateManager.create(s.second(), shape).toDevice(p.getArray().getDevice(), false);
            SlotState old = stateById.put(p.getId(), keep(new SlotState(s.step(), first, second)));
            if (old != null) {
                old.close();
            }
        }
    }

    @Override
    public void close() {
        stateById.values().forEach(SlotState::close);
        stateById.clear();
    }

    /** Host copy of one slot. */
    public record SlotSnapshot(long step, long[] shape, float[] first, float[] second) {
    }

    private static final class NoOptionsBuilder extends OptimizerBuilder<NoOptionsBuilder> {
        @Override
        protected NoOptionsBuilder self() {
            return this;
        }
    }
}
