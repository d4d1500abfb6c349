package bitsweep.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import bitsweep.artifact.ArtifactNode.Activation;
import bitsweep.bops.BopsLayer;
import bitsweep.bops.BopsLayout;
import bitsweep.bops.QuantizerGroup;
import bitsweep.data.DatasetInfo;
import bitsweep.quant.GatingMethod;
import bitsweep.quant.LearnedScale;
import bitsweep.quant.QuantizerSettings;
import bitsweep.quant.RegType;
import bitsweep.trial.TrialConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the Bayesian Bits models of spec §6 from a resolved {@link TrialConfig}: LeNet-5 (mnist),
 * VGG-7 (cifar10) and ResNet-18 "updated" (imagenet, optionally from pretrained torchvision
 * weights, see {@link PretrainedResNet18}). Parameters are initialised on {@code manager}, which
 * must outlive the model.
 */
public final class BitsModels {

    private BitsModels() {
    }

    /**
     * @param config  a resolved trial config ({@link TrialConfig#resolved()})
     * @param manager long-lived manager owning the parameters
     */
    public static QuantizedModel create(TrialConfig config, NDManager manager) throws IOException {
        Variant v = Variant.of(config);
        return switch (config.experiment()) {
            case "mnist" -> lenet5(v, manager);
            case "cifar10" -> vgg7(v, manager);
            case "imagenet" -> {
                QuantizedModel m = resnet18(v, DatasetInfo.IMAGENET, manager);
                if (config.pretrained() != null && !config.pretrained().isBlank()) {
                    PretrainedResNet18.load(m, Path.of(config.pretrained()));
                }
                yield m;
            }
            default -> throw new IllegalArgumentException("experiment: expected mnist, cifar10 or imagenet, got '"
                    + config.experiment() + "'");
        };
    }

    /** Quantizer options of a run (spec §10 variants, §8.2 gate initialisation). */
    public record Variant(double[] gateInit, GatingMethod gating, LearnedScale learnedScale, boolean pruning,
                          boolean pruneOnly, int fixedWeightBits, int fixedActivationBits, RegType regType) {

        public static Variant of(TrialConfig c) {
            int wBits = c.fixed8bit() ? 8 : c.fixed48bit() ? 4 : 0;
            int aBits = c.fixed8bit() || c.fixed48bit() ? 8 : 0;
            return new Variant(new double[] {c.gamma4Init(), c.gamma8Init(), c.gamma16Init(), c.gamma32Init()},
                    GatingMethod.parse(c.gatingMethod()), LearnedScale.parse(c.learnedScale()), c.includePruning(),
                    c.pruneOnly(), wBits, aBits, RegType.parse(c.regType()));
        }

        /** The README default: l0 gates, learned range, pruning, bop prior. */
        public static Variant readme(double[] gateInit) {
            return new Variant(gateInit, GatingMethod.L0, LearnedScale.RANGE, true, false, 0, 0, RegType.BOP);
        }

        private QuantizerSettings base() {
            return new QuantizerSettings(gating, learnedScale, gateInit, 0, false, 0);
        }

        /** Weight quantizer of a hidden layer with {@code out} channels. */
        QuantizerSettings hiddenWeights(int out) {
            return base().withPruneChannels(pruning ? out : 0).withPruneOnly(pruneOnly).withFixedBits(fixedWeightBits);
        }

        /** Weight quantizer of the logits layer: no pruning, no prune-only (spec §6.6). */
        QuantizerSettings logitWeights() {
            return base().withFixedBits(fixedWeightBits);
        }

        /** Activation quantizer, or null when FP32 prune-only switches activation quantization off. */
        QuantizerSettings activations() {
            if (pruneOnly && fixedActivationBits == 0) {
                return null;
            }
            return base().withFixedBits(fixedActivationBits);
        }
    }

    // ---------------------------------------------------------------- LeNet-5 (§6.3)

    public static QuantizedModel lenet5(Variant v, NDManager manager) {
        LayerSpec.PoolSpec pool = new LayerSpec.PoolSpec(2, 2, 0);
        List<LayerSpec> specs = List.of(
                LayerSpec.conv("conv1", 1, 32, 5, 1, 0, 28, 28, true, false, Activation.RELU, pool),
                LayerSpec.conv("conv2", 32, 64, 5, 1, 0, 12, 12, true, false, Activation.RELU, pool),
                LayerSpec.linear("fc1", 1024, 512, true, false, Activation.RELU),
                LayerSpec.linear("fc2", 512, 10, true, false, Activation.NONE));
        return sequential("lenet5", DatasetInfo.MNIST, specs, v, manager);
    }

    // ---------------------------------------------------------------- VGG-7 (§6.4)

    public static QuantizedModel vgg7(Variant v, NDManager manager) {
        LayerSpec.PoolSpec pool = new LayerSpec.PoolSpec(2, 2, 0);
        List<LayerSpec> specs = List.of(
                LayerSpec.conv("conv1", 3, 128, 3, 1, 1, 32, 32, false, true, Activation.RELU, null),
                LayerSpec.conv("conv2", 128, 128, 3, 1, 1, 32, 32, false, true, Activation.RELU, pool),
                LayerSpec.conv("conv3", 128, 256, 3, 1, 1, 16, 16, false, true, Activation.RELU, null),
                LayerSpec.conv("conv4", 256, 256, 3, 1, 1, 16, 16, false, true, Activation.RELU, pool),
                LayerSpec.conv("conv5", 256, 512, 3, 1, 1, 8, 8, false, true, Activation.RELU, null),
                LayerSpec.conv("conv6", 512, 512, 3, 1, 1, 8, 8, false, true, Activation.RELU, pool),
                LayerSpec.linear("fc1", 8192, 1024, false, true, Activation.RELU),
                LayerSpec.linear("fc2", 1024, 10, true, false, Activation.NONE));
        return sequential("vgg7", DatasetInfo.CIFAR10, specs, v, manager);
    }

    private static QuantizedModel sequential(String arch, DatasetInfo info, List<LayerSpec> specs, Variant v,
                                             NDManager manager) {
        List<QuantLayer> layers = new ArrayList<>();
        List<QuantizedModel.NamedQuantizer> named = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            LayerSpec s = specs.get(i);
            boolean last = i == specs.size() - 1;
            QuantLayer l = new QuantLayer(s, last ? v.logitWeights() : v.hiddenWeights(s.out()),
                    last ? null : v.activations());
            layers.add(l);
            named.add(new QuantizedModel.NamedQuantizer(s.name() + ".weight", s.out(), l::weightQuantizer));
            if (l.outputQuantizer() != null) {
                named.add(new QuantizedModel.NamedQuantizer(s.name() + ".output", 1, l::outputQuantizer));
            }
        }
        SequentialNet net = new SequentialNet(info, layers);
        initialize(net, info, manager);
        BopsLayout layout = BopsLayout.sequential(List.copyOf(layers), v.pruneOnly());
        return new QuantizedModel(arch, info, net, manager, layout, named, v.regType());
    }

    // ---------------------------------------------------------------- ResNet-18 "updated" (§6.5)

    public static QuantizedModel resnet18(Variant v, DatasetInfo info, NDManager manager) {
        int size = info.height();
        LayerSpec stemSpec = LayerSpec.conv("conv1", 3, 64, 7, 2, 3, size, info.width(), false, true,
                Activation.RELU, new LayerSpec.PoolSpec(3, 2, 1));
        QuantLayer stem = new QuantLayer(stemSpec, v.hiddenWeights(64), v.activations());
        List<QuantizedModel.NamedQuantizer> named = new ArrayList<>();
        named.add(new QuantizedModel.NamedQuantizer("conv1.weight", 64, stem::weightQuantizer));
        named.add(new QuantizedModel.NamedQuantizer("conv1.output", 1, stem::outputQuantizer));
        List<BopsLayer> layers = new ArrayList<>(List.of(stem));
        List<QuantizerGroup> groups = new ArrayList<>(List.of(QuantizerGroup.networkInput(stem)));
        Map<BopsLayer, BopsLayer> inputPruned = new LinkedHashMap<>();
        List<ResidualBlock> blocks = new ArrayList<>();
        int in = 64;
        int h = stemSpec.pooledHeight();
        int w = stemSpec.pooledWidth();
        java.util.function.Supplier<bitsweep.quant.Quantizer> previous = stem::outputQuantizer;
        int[] widths = {64, 128, 256, 512};
        for (int stage = 0; stage < 4; stage++) {
            for (int b = 0; b < 2; b++) {
                int out = widths[stage];
                int stride = stage > 0 && b == 0 ? 2 : 1;
                String name = "layer" + (stage + 1) + "." + b;
                LayerSpec f0 = LayerSpec.conv(name + ".features.0", in, out, 3, stride, 1, h, w, false, true,
                        Activation.RELU, null);
                LayerSpec f1 = LayerSpec.conv(name + ".features.1", out, out, 3, 1, 1, f0.outHeight(), f0.outWidth(),
                        false, true, Activation.NONE, null);
                QuantLayer l0 = new QuantLayer(f0, v.hiddenWeights(out), v.activations());
                QuantLayer l1 = new QuantLayer(f1, v.hiddenWeights(out), v.activations());
                QuantLayer ds = null;
                if (stride != 1 || in != out) {
                    LayerSpec d = LayerSpec.conv(name + ".downsample.0", in, out, 1, stride, 0, h, w, false, true,
                            Activation.NONE, null);
                    ds = new QuantLayer(d, v.hiddenWeights(out), v.activations());
                }
                ResidualBlock block = new ResidualBlock(name, l0, l1, ds, v.activations());
                blocks.add(block);
                layers.add(l0);
                layers.add(l1);
                groups.add(new QuantizerGroup(previous, ds == null ? List.of(l0) : List.of(l0, ds)));
                groups.add(new QuantizerGroup(l0::outputQuantizer, List.of(l1)));
                inputPruned.put(l1, l0);
                named.add(new QuantizedModel.NamedQuantizer(f0.name() + ".weight", out, l0::weightQuantizer));
                named.add(new QuantizedModel.NamedQuantizer(f0.name() + ".output", 1, l0::outputQuantizer));
                named.add(new QuantizedModel.NamedQuantizer(f1.name() + ".weight", out, l1::weightQuantizer));
                named.add(new QuantizedModel.NamedQuantizer(f1.name() + ".output", 1, l1::outputQuantizer));
                if (ds != null) {
                    layers.add(ds);
                    QuantLayer dsl = ds;
                    named.add(new QuantizedModel.NamedQuantizer(dsl.name() + ".weight", out, dsl::weightQuantizer));
                    named.add(new QuantizedModel.NamedQuantizer(dsl.name() + ".output", 1, dsl::outputQuantizer));
                }
                named.add(new QuantizedModel.NamedQuantizer(name + ".output", 1, block::outputQuantizer));
                previous = block::outputQuantizer;
                in = out;
                h = f0.outHeight();
                w = f0.outWidth();
            }
        }
        QuantLayer fc = new QuantLayer(LayerSpec.linear("fc", 512, info.numClasses(), true, false, Activation.NONE),
                v.logitWeights(), null);
        layers.add(fc);
        groups.add(new QuantizerGroup(previous, List.of(fc)));
        named.add(new QuantizedModel.NamedQuantizer("fc.weight", info.numClasses(), fc::weightQuantizer));
        named.removeIf(n -> n.quantizer().get() == null); // FP32 prune-only: no activation quantizers
        ResNetNet net = new ResNetNet(info, stem, blocks, fc);
        initialize(net, info, manager);
        BopsLayout layout = new BopsLayout(List.copyOf(layers), List.copyOf(groups), inputPruned, v.pruneOnly());
        return new QuantizedModel("resnet18", info, net, manager, layout, named, v.regType());
    }

    private static void initialize(Block net, DatasetInfo info, NDManager manager) {
        net.initialize(manager, DataType.FLOAT32, new Shape(1, info.channels(), info.height(), info.width()));
    }
}
