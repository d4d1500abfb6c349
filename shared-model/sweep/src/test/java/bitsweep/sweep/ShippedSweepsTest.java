package bitsweep.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.trial.TrialConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every file in {@code sweeps/} parses, expands to the documented trial count, and says what it reproduces. */
public class ShippedSweepsTest {
    private static final Map<String, String> ENV = Map.of("IMAGENET_PRETRAINED", "/weights/resnet18.pt");
    private static final Set<Double> PAPER_MU = Set.of(0.01, 0.03, 0.05, 0.07, 0.1, 0.2);

    public static Path sweepsDir() {
        String root = System.getProperty("bitsweep.repoRoot");
        assertTrue(root != null, "surefire sets bitsweep.repoRoot");
        return Path.of(root, "sweeps");
    }

    private static Sweep load(String name) throws Exception {
        return SweepParser.parse(sweepsDir().resolve(name), ENV);
    }

    private static Set<Double> mus(Sweep s) {
        return s.trials().stream().map(t -> t.config().gatingLambda()).collect(Collectors.toSet());
    }

    private static Set<String> variants(Sweep s) {
        return s.trials().stream().map(TrialSpec::variant).collect(Collectors.toSet());
    }

    @Test
    void everyShippedSweepParsesWithTheExpectedTrialCount() throws Exception {
        Map<String, Integer> expected = Map.of(
                "mnist-lenet5.yaml", 12,
                "mnist-lenet5-bops-study.yaml", 9,
                "cifar10-vgg7.yaml", 12,
                "imagenet-resnet18.yaml", 12,
                "imagenet-resnet18-ablations.yaml", 18,
                "mnist-smoke.yaml", 8);
        Map<String, Integer> actual = new TreeMap<>();
        try (Stream<Path> files = Files.list(sweepsDir())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                actual.put(f.getFileName().toString(), SweepParser.parse(f, ENV).trials().size());
            }
        }
        assertEquals(new TreeMap<>(expected), actual);
    }

    @Test
    void everyShippedSweepStartsWithAHeaderSayingWhatItReproduces() throws IOException {
        try (Stream<Path> files = Files.list(sweepsDir())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                String first = Files.readAllLines(f).get(0);
                assertTrue(first.startsWith("# ") && (first.contains("Reproduces") || first.contains("MNIST sweep")),
                        f + " should open with a comment saying what it reproduces: " + first);
            }
        }
    }

    @Test
    void mnistLenet5IsTheReadmeRunOverThePaperMuValues() throws Exception {
        Sweep s = load("mnist-lenet5.yaml");
        assertEquals("mnist", s.experiment());
        assertEquals(PAPER_MU, mus(s));
        assertEquals(Set.of("pruning", "no-pruning"), variants(s));
        for (TrialSpec t : s.trials()) {
            TrialConfig c = t.config();
            assertEquals(100, c.epochs());
            assertEquals(128, c.batchSize());
            assertEquals(List.of(6.0, 6.0, -6.0, -6.0), List.of(c.gamma4Init(), c.gamma8Init(), c.gamma16Init(),
                    c.gamma32Init()));
            assertEquals(t.variant().equals("pruning"), c.includePruning());
        }
    }

    /** Issue 12: bop on new seeds, bop-exact at two MU values on the old seeds, bop with 4 gate samples. */
    @Test
    void mnistBopsStudyComparesTheRegularisersOnTheReadmeRun() throws Exception {
        Sweep s = load("mnist-lenet5-bops-study.yaml");
        List<String> trials = s.trials().stream().map(t -> t.variant() + " " + t.config().regType() + " mu"
                + t.config().gatingLambda() + " K" + t.config().gateSamples() + " s" + t.config().seed()).toList();
        assertEquals(List.of("bop bop mu0.1 K1 s3", "bop bop mu0.1 K1 s4",
                "bop-exact-x2 bop-exact mu0.2 K1 s0", "bop-exact-x2 bop-exact mu0.2 K1 s1",
                "bop-exact-x4 bop-exact mu0.4 K1 s0", "bop-exact-x4 bop-exact mu0.4 K1 s1",
                "bop-exact-x1 bop-exact mu0.1 K1 s0", "bop-exact-x1 bop-exact mu0.1 K1 s1",
                "bop-gs4 bop mu0.1 K4 s0"), trials);
        for (TrialSpec t : s.trials()) {
            TrialConfig c = t.config();
            assertEquals(100, c.epochs());
            assertEquals(128, c.batchSize());
            assertTrue(c.includePruning());
            assertEquals(List.of(6.0, 6.0, -6.0, -6.0), List.of(c.gamma4Init(), c.gamma8Init(), c.gamma16Init(),
                    c.gamma32Init()));
        }
    }

    @Test
    void cifarVgg7RunsThreeHundredEpochsWithAllGatesOn() throws Exception {
        Sweep s = load("cifar10-vgg7.yaml");
        assertEquals("cifar10", s.experiment());
        assertEquals(PAPER_MU, mus(s));
        assertEquals(Set.of("pruning", "no-pruning"), variants(s));
        s.trials().forEach(t -> {
            assertEquals(300, t.config().epochs());
            assertEquals("vggquantized", t.config().model());
            assertEquals(6.0, t.config().gamma32Init());
        });
    }

    @Test
    void imagenetResnet18FineTunesPretrainedWeightsWithFixedGates() throws Exception {
        Sweep s = load("imagenet-resnet18.yaml");
        assertEquals(PAPER_MU, mus(s));
        assertEquals(Set.of("pruning", "quantization-only"), variants(s));
        s.trials().forEach(t -> {
            assertEquals("/weights/resnet18.pt", t.config().pretrained());
            assertEquals(30, t.config().epochs());
            assertEquals(10, t.config().fixedGateFinetuneEpochs());
            assertEquals("multistep:10:20", t.config().lrSchedule());
            assertEquals(t.variant().equals("pruning"), t.config().includePruning());
        });
    }

    @Test
    void imagenetAblationsArePruneOnlyWithFp32W8a8AndW4a8() throws Exception {
        Sweep s = load("imagenet-resnet18-ablations.yaml");
        assertEquals(Set.of("prune-only", "prune-only-w8a8", "prune-only-w4a8"), variants(s));
        s.trials().forEach(t -> {
            TrialConfig c = t.config();
            assertTrue(c.pruneOnly() && c.includePruning(), t.trialId());
            assertEquals(t.variant().endsWith("w8a8"), c.fixed8bit(), t.trialId());
            assertEquals(t.variant().endsWith("w4a8"), c.fixed48bit(), t.trialId());
        });
    }

    @Test
    void mnistSmokeIsASmallRealSweepWithDemoGateSettings() throws Exception {
        Sweep s = SweepParser.parse(sweepsDir().resolve("mnist-smoke.yaml"), Map.of());
        assertTrue(s.trials().size() >= 4);
        assertEquals(Set.of("pruning", "no-pruning"), variants(s));
        assertTrue(mus(s).size() >= 2);
        String text = Files.readString(sweepsDir().resolve("mnist-smoke.yaml"));
        assertTrue(text.contains("DEMO SETTINGS, NOT THE PAPER'S"), "the file must say its settings are a demo");
        s.trials().forEach(t -> {
            TrialConfig c = t.config();
            assertEquals("data/mnist", c.dataDir());
            assertTrue(c.epochs() <= 3, "CPU budget");
            assertEquals(12000, c.limitTrain());
            assertEquals(10000, c.limitTest());
            assertTrue(c.gamma4Init() < 6 && c.gamma8Init() < 6, "gates start low enough to switch off");
        });
    }
}
