package bitsweep.trial;

import java.util.Arrays;
import java.util.List;

/**
 * The allowed values of the trial flags that are a choice, one enum per kind of choice. The
 * {@link TrialFlag} table names the enum of each choice flag, and {@link TrialPresets} validates
 * against it, so the command line and sweep files accept exactly these values (in any case: they are
 * stored in lower case, as {@link Choice#value()} spells them).
 *
 * <p>{@link TrialConfig} keeps these settings as strings: its JSON form must stay what it always was.
 */
public final class TrialChoices {

    private TrialChoices() {
    }

    /** One allowed value, spelled as on the command line and in {@link TrialConfig}. */
    public interface Choice {
        String value();
    }

    /** The values of a choice enum, in declaration order. */
    static List<String> values(Class<?> choiceEnum) {
        return Arrays.stream(choiceEnum.getEnumConstants()).map(c -> ((Choice) c).value()).toList();
    }

    /** {@code --experiment}: the dataset and the paper's preset for it. */
    public enum Experiment implements Choice {
        MNIST("mnist", Model.LENET5),
        CIFAR10("cifar10", Model.VGG7),
        IMAGENET("imagenet", Model.RESNET18);

        private final String value;
        private final Model model;

        Experiment(String value, Model model) {
            this.value = value;
            this.model = model;
        }

        @Override
        public String value() {
            return value;
        }

        /** The network the reference trains for this experiment. */
        public Model model() {
            return model;
        }
    }

    /** {@code --model}: the reference's model names; each belongs to one experiment. */
    public enum Model implements Choice {
        LENET5("lenet5quantized"),
        VGG7("vggquantized"),
        RESNET18("resnet18");

        private final String value;

        Model(String value) {
            this.value = value;
        }

        @Override
        public String value() {
            return value;
        }
    }

    /** {@code --method}: the reference knows others; BitSweep implements Bayesian Bits only. */
    public enum Method implements Choice {
        BAYESIAN_BITS("bayesian_bits");

        private final String value;

        Method(String value) {
            this.value = value;
        }

        @Override
        public String value() {
            return value;
        }
    }

    /** {@code --gating-method}. */
    public enum GatingMethod implements Choice {
        L0("l0"),
        FIXED("fixed");

        private final String value;

        GatingMethod(String value) {
            this.value = value;
        }

        @Override
        public String value() {
            return value;
        }
    }

    /** {@code --optimizer}, {@code --optimizer-q}, {@code --optimizer-s}. */
    public enum Optimizer implements Choice {
        ADAM("adam"),
        SGD("sgd");

        private final String value;

        Optimizer(String value) {
            this.value = value;
        }

        @Override
        public String value() {
            return value;
        }
    }

    /** {@code --learned-scale}. */
    public enum LearnedScale implements Choice {
        RANGE("range"),
        SCALE("scale"),
        NONE("none");

        private final String value;

        LearnedScale(String value) {
            this.value = value;
        }

        @Override
        public String value() {
            return value;
        }
    }

    /** {@code --reg-type}. */
    public enum RegType implements Choice {
        BOP("bop"),
        CONST("const"),
        BOP_EXACT("bop-exact");

        private final String value;

        RegType(String value) {
            this.value = value;
        }

        @Override
        public String value() {
            return value;
        }
    }
}
