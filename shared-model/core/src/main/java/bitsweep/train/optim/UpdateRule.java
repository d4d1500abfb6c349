package bitsweep.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Locale;

/**
 * One parameter group's update rule, with PyTorch semantics so trajectories match the reference
 * (spec §8.1, §12 item 21). Rules are stateless; the per-parameter state lives in {@link SlotState}.
 */
public sealed interface UpdateRule {

    /** Fresh per-parameter state for {@code weight}, allocated in {@code manager}. */
    SlotState newState(NDArray weight, NDManager manager);

    /**
     * Updates {@code weight} in place. {@code lr} is the group's current learning rate. Callers run
     * this inside an {@link ai.djl.ndarray.NDScope} so every temporary is released at once.
     */
    void apply(NDArray weight, NDArray grad, SlotState state, double lr);

    /** {@code adam} or {@code sgd} (Nesterov with the given momentum), as the CLI spells them. */
    static UpdateRule of(String name, double momentum) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "adam" -> new Adam(0.9, 0.999, 1e-8);
            case "sgd" -> new NesterovSgd(momentum);
            default -> throw new IllegalArgumentException("optimizer: expected adam or sgd, got '" + name + "'");
        };
    }

    /**
     * Adam as in PyTorch 1.1 (the version the reference pins): ε is added to √v of the
     * <em>uncorrected</em> second moment and both bias corrections are folded into the step size,
     * {@code θ ← θ − lr·√(1−β₂ᵗ)/(1−β₁ᵗ) · m/(√v + ε)}.
     */
    record Adam(double beta1, double beta2, double eps) implements UpdateRule {
        @Override
        public SlotState newState(NDArray weight, NDManager manager) {
            return new SlotState(0, manager.zeros(weight.getShape(), weight.getDataType(), weight.getDevice()),
                    manager.zeros(weight.getShape(), weight.getDataType(), weight.getDevice()));
        }

        @Override
        public void apply(NDArray weight, NDArray grad, SlotState state, double lr) {
            long t = state.incrementStep();
            NDArray m = state.first();
            NDArray v = state.second();
            m.muli((float) beta1).addi(grad.mul((float) (1 - beta1)));
            v.muli((float) beta2).addi(grad.square().muli((float) (1 - beta2)));
            double stepSize = lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
            weight.subi(m.div(v.sqrt().addi((float) eps)).muli((float) stepSize));
        }
    }

    /**
     * SGD with Nesterov momentum, PyTorch form with dampening 0: {@code buf ← μ·buf + g} (first step
     * {@code buf = g}), {@code θ ← θ − lr·(g + μ·buf)}. With μ = 0 it is plain SGD.
     */
    record NesterovSgd(double momentum) implements UpdateRule {
        @Override
        public SlotState newState(NDArray weight, NDManager manager) {
            return new SlotState(0, manager.zeros(weight.getShape(), weight.getDataType(), weight.getDevice()), null);
        }

        @Override
        public void apply(NDArray weight, NDArray grad, SlotState state, double lr) {
            long t = state.incrementStep();
            NDArray buf = state.first();
            if (t == 1) {
                buf.subi(buf).addi(grad);
            } else {
                buf.muli((float) momentum).addi(grad);
            }
            weight.subi(grad.add(buf.mul((float) momentum)).muli((float) lr));
        }
    }
}
