package bitsweep.train.schedule;

import bitsweep.autograd.ParameterGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Per-epoch learning-rate factors of the Bayesian Bits phase (spec §8.3). Schedulers are stepped
 * after each epoch, so the factor used <em>during</em> 1-based epoch {@code e} is {@code f(e − 1)};
 * {@link #factor(ParameterGroup, int)} takes {@code e} and does that shift itself.
 */
public sealed interface LrSchedule {

    /** The multiplier of {@code group}'s base learning rate during 1-based {@code epoch}. */
    double factor(ParameterGroup group, int epoch);

    /**
     * Parses the {@code --lr-schedule} value: {@code linear}, {@code none},
     * {@code multistep:E1:E2…} or {@code cosine:ETA_MIN}.
     *
     * @param totalEpochs the Bayesian Bits epoch count {@code E}
     * @param baseWeightLr the weights group's base LR (cosine's η_min is an absolute LR)
     */
    static LrSchedule parse(String spec, int totalEpochs, double baseWeightLr) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("linear")) {
            return new LinearTail(totalEpochs);
        }
        if (s.equals("none")) {
            return new Constant();
        }
        String[] parts = s.split(":");
        try {
            if (parts[0].equals("multistep") && parts.length >= 2) {
                List<Integer> milestones = new ArrayList<>();
                for (int i = 1; i < parts.length; i++) {
                    milestones.add(Integer.parseInt(parts[i]));
                }
                return new MultiStep(milestones, 0.1);
            }
            if (parts[0].equals("cosine") && parts.length == 2) {
                return new Cosine(totalEpochs, Double.parseDouble(parts[1]) / baseWeightLr);
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new IllegalArgumentException("lr-schedule: expected linear, none, multistep:E1:E2… or "
                + "cosine:ETA_MIN, got '" + spec + "'");
    }

    /** No schedule: every group keeps its base LR. */
    record Constant() implements LrSchedule {
        @Override
        public double factor(ParameterGroup group, int epoch) {
            return 1.0;
        }
    }

    /**
     * MNIST / CIFAR-10: linear decay over the last third, weights group only.
     * {@code E_s = ⌊2E/3⌋; f(t) = 1 for t ≤ E_s, else (E − t)/(E − E_s)}.
     */
    record LinearTail(int totalEpochs) implements LrSchedule {
        @Override
        public double factor(ParameterGroup group, int epoch) {
            if (group != ParameterGroup.WEIGHTS) {
                return 1.0;
            }
            int t = epoch - 1;
            int start = (2 * totalEpochs) / 3;
            return t <= start ? 1.0 : (double) (totalEpochs - t) / (totalEpochs - start);
        }
    }

    /** ImageNet: ×{@code gamma} at every milestone passed, all three groups. */
    record MultiStep(List<Integer> milestones, double gamma) implements LrSchedule {
        public MultiStep {
            milestones = List.copyOf(milestones);
        }

        @Override
        public double factor(ParameterGroup group, int epoch) {
            int t = epoch - 1;
            int passed = 0;
            for (int m : milestones) {
                if (t >= m) {
                    passed++;
                }
            }
            return Math.pow(gamma, passed);
        }
    }

    /**
     * Cosine annealing over {@code E} epochs to η_min (PyTorch {@code CosineAnnealingLR}, T_max = E),
     * weights group only; {@code minFactor} = η_min / base LR.
     */
    record Cosine(int totalEpochs, double minFactor) implements LrSchedule {
        @Override
        public double factor(ParameterGroup group, int epoch) {
            if (group != ParameterGroup.WEIGHTS) {
                return 1.0;
            }
            int t = epoch - 1;
            return minFactor + (1 - minFactor) * (1 + Math.cos(Math.PI * t / totalEpochs)) / 2;
        }
    }
}
