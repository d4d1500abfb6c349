package bitsweep.bops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import bitsweep.artifact.LayerBits;
import bitsweep.data.DatasetInfo;
import bitsweep.nn.BitsModels;
import bitsweep.nn.QuantizedModel;
import bitsweep.quant.BayesianBitsQuantizer;
import bitsweep.quant.GatingMethod;
import bitsweep.quant.LearnedScale;
import bitsweep.quant.Quantizer;
import bitsweep.quant.RegType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Spec §14 items 16–19: MACs, baselines, relative BOPs and keep ratios. */
class RelativeBopsTest {

    private static final double[] MNIST_INIT = {6, 6, -6, -6};
    private static final double[] ALL_ON = {6, 6, 6, 6};
    private static final double[] IMAGENET_INIT = {6, 6, 6, -6};
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static void setGates(Quantizer q, float... logits) {
        ((BayesianBitsQuantizer) q).logAlphaParameter().getArray().set(logits);
    }

    /** Keeps the first {@code kept} channels (log α_2 = 6), prunes the rest (−6). */
    static void keepFirst(Quantizer q, int kept) {
        BayesianBitsQuantizer bb = (BayesianBitsQuantizer) q;
        int c = bb.settings().pruneChannels();
        float[] v = new float[c];
        for (int i = 0; i < c; i++) {
            v[i] = i < kept ? 6f : -6f;
        }
        bb.pruneLogAlphaParameter().getArray().set(v);
    }

    private static Map<String, BopsLayer> byName(QuantizedModel m) {
        return m.bopsLayout().layers().stream().collect(Collectors.toMap(BopsLayer::name, l -> l));
    }

    @Test
    void lenetMacsAndBaselineMatchSpec() {
        QuantizedModel m = BitsModels.lenet5(BitsModels.Variant.readme(MNIST_INIT), manager);
        List<Long> macs = m.bopsLayout().layers().stream().map(BopsLayer::macs).toList();
        assertEquals(List.of(460_800L, 3_276_800L, 524_288L, 5_120L), macs);
        assertEquals(4_267_008L, m.bopsLayout().totalMacs());
        assertEquals(4_369_416_192.0, m.bops().baselineBops(), 0);
    }

    @Test
    void lenetReadmeInitialisationIsSixPointTwoFivePercent() {
        QuantizedModel m = BitsModels.lenet5(BitsModels.Variant.readme(MNIST_INIT), manager);
        BopsReport r = m.bops();
        assertEquals(273_088_512.0, r.bops(), 0);
        assertEquals(6.25, r.relativeBops(), 1e-12);
        r.layers().forEach(l -> assertEquals(8, l.weightBits()));
    }

    @Test
    void lenetMixedExampleIsSpecValue() {
        QuantizedModel m = BitsModels.lenet5(BitsModels.Variant.readme(MNIST_INIT), manager);
        Map<String, BopsLayer> l = byName(m);
        float off = -1f; // deterministic 0 but above the −2 cut-off
        setGates(l.get("conv1").weightQuantizer(), off, 6, 6, 6);
        keepFirst(l.get("conv1").weightQuantizer(), 16);
        setGates(l.get("conv1").outputQuantizer(), 6, off, 6, 6);
        setGates(l.get("conv2").weightQuantizer(), off, 6, 6, 6);
        keepFirst(l.get("conv2").weightQuantizer(), 16);
        setGates(l.get("conv2").outputQuantizer(), 6, off, 6, 6);
        setGates(l.get("fc1").weightQuantizer(), off, 6, 6, 6);
        keepFirst(l.get("fc1").weightQuantizer(), 64);
        setGates(l.get("fc1").outputQuantizer(), 6, 6, off, 6);
        setGates(l.get("fc2").weightQuantizer(), 6, 6, -6, -6);
        BopsReport r = m.bops();
        assertEquals(7_135_232.0, r.bops(), 1e-6);
        assertEquals(0.163299, r.relativeBops(), 5e-7);
        assertEquals(List.of(3_686_400.0, 3_276_800.0, 131_072.0, 40_960.0),
                r.layers().stream().map(LayerBits::bops).toList());
    }

    @Test
    void pruningHalfOfConv1HalvesConv1AndConv2Bops() {
        QuantizedModel m = BitsModels.lenet5(BitsModels.Variant.readme(MNIST_INIT), manager);
        BopsReport before = m.bops();
        keepFirst(byName(m).get("conv1").weightQuantizer(), 16);
        BopsReport after = m.bops();
        assertEquals(before.layers().get(0).bops() / 2, after.layers().get(0).bops(), 1e-9);
        assertEquals(before.layers().get(1).bops() / 2, after.layers().get(1).bops(), 1e-9);
        assertEquals(before.layers().get(2).bops(), after.layers().get(2).bops(), 1e-9);
        assertEquals(16, after.layers().get(0).keptChannels());
    }

    @Test
    void vggMacsBaselineAndAllGatesOnMatchSpec() {
        QuantizedModel m = BitsModels.vgg7(BitsModels.Variant.readme(ALL_ON), manager);
        assertEquals(List.of(3_538_944L, 150_994_944L, 75_497_472L, 150_994_944L, 75_497_472L, 150_994_944L,
                8_388_608L, 10_240L), m.bopsLayout().layers().stream().map(BopsLayer::macs).toList());
        assertEquals(615_917_568L, m.bopsLayout().totalMacs());
        BopsReport r = m.bops();
        assertEquals(630_699_589_632.0, r.baselineBops(), 0);
        assertEquals(99.569, r.relativeBops(), 5e-4);
    }

    @Test
    void resnetMacsAndReadmeInitialisationMatchSpec() {
        QuantizedModel m = BitsModels.resnet18(BitsModels.Variant.readme(IMAGENET_INIT), DatasetInfo.IMAGENET, manager);
        assertEquals(1_814_073_344L, m.bopsLayout().totalMacs());
        assertEquals(118_013_952L, m.bopsLayout().maxMacs());
        assertEquals(21, m.bopsLayout().layers().size());
        assertEquals(1_857_611_104_256.0, m.bops().baselineBops(), 0);
        assertEquals(24.187, m.bops().relativeBops(), 5e-4);
    }

    @Test
    void resnetUniformW8A8AndW4A8PruneOnlyVariants() {
        BitsModels.Variant w8a8 = new BitsModels.Variant(IMAGENET_INIT, GatingMethod.L0, LearnedScale.RANGE, true, true,
                8, 8, RegType.BOP);
        BitsModels.Variant w4a8 = new BitsModels.Variant(IMAGENET_INIT, GatingMethod.L0, LearnedScale.RANGE, true, true,
                4, 8, RegType.BOP);
        BitsModels.Variant fp32 = new BitsModels.Variant(IMAGENET_INIT, GatingMethod.L0, LearnedScale.RANGE, true, true,
                0, 0, RegType.BOP);
        assertEquals(6.25, BitsModels.resnet18(w8a8, DatasetInfo.IMAGENET, manager).bops().relativeBops(), 1e-9);
        assertEquals(3.125, BitsModels.resnet18(w4a8, DatasetInfo.IMAGENET, manager).bops().relativeBops(), 1e-9);
        // FP32 pruning only: every tensor at 16 bits, the network input at 8
        BopsReport r = BitsModels.resnet18(fp32, DatasetInfo.IMAGENET, manager).bops();
        r.layers().stream().skip(1).forEach(l -> assertEquals(16, l.inputBits()));
        r.layers().forEach(l -> assertEquals(16, l.weightBits()));
    }

    @Test
    void resnetFeatures1PruningDoesNotChangeTheNextBlock() {
        QuantizedModel m = BitsModels.resnet18(BitsModels.Variant.readme(IMAGENET_INIT), DatasetInfo.IMAGENET, manager);
        Map<String, BopsLayer> l = byName(m);
        BopsReport before = m.bops();
        keepFirst(l.get("layer1.0.features.1").weightQuantizer(), 32);
        keepFirst(l.get("layer1.0.features.0").weightQuantizer(), 48);
        BopsReport after = m.bops();
        Map<String, LayerBits> b = before.layers().stream().collect(Collectors.toMap(LayerBits::layer, x -> x));
        Map<String, LayerBits> a = after.layers().stream().collect(Collectors.toMap(LayerBits::layer, x -> x));
        assertEquals(b.get("layer1.1.features.0").bops(), a.get("layer1.1.features.0").bops(), 0);
        assertEquals(b.get("layer1.0.features.0").bops() * 0.75, a.get("layer1.0.features.0").bops(), 1e-6);
        // features.1 loses half of its own outputs and a quarter of its inputs (features.0's pruning)
        assertEquals(b.get("layer1.0.features.1").bops() * 0.5 * 0.75, a.get("layer1.0.features.1").bops(), 1e-6);
        assertEquals(Arrays.asList(0.75, 0.375), List.of(a.get("layer1.0.features.0").keepRatio(),
                a.get("layer1.0.features.1").keepRatio()));
    }
}
