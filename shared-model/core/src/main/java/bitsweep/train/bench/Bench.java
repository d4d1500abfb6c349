package bitsweep.train.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import bitsweep.data.DatasetInfo;
import bitsweep.data.Datasets;
import bitsweep.data.ImageDataset;
import bitsweep.io.Json;
import bitsweep.nn.BitsModel;
import bitsweep.nn.BitsModels;
import bitsweep.train.loop.Seeds;
import bitsweep.train.loop.TrainingSession;
import bitsweep.trial.CancellationToken;
import bitsweep.trial.EpochMetrics;
import bitsweep.trial.TrialCancelledException;
import bitsweep.trial.TrialConfig;
import bitsweep.trial.TrialFailedException;
import bitsweep.trial.TrialListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training throughput and memory of the real training loop ({@link TrainingSession}): Bayesian Bits
 * LeNet-5 vs. the plain FP32 LeNet-5 at the same batch size, Bayesian Bits vs. plain FP32 VGG-7 on CIFAR-shaped input, peak RSS per
 * model and RSS per epoch to show that memory stays flat. Each LeNet-5 run has one warm-up epoch that is not timed.
 */
public final class Bench {
    private static final Logger LOG = LoggerFactory.getLogger(Bench.class);

    /**
     * @param runs    timed epochs per LeNet-5 variant (median reported); at least 3
     * @param vggRuns timed epochs per VGG-7 variant, each of {@code vggBatches} batches, after one warm-up epoch
     */
    public record Options(int runs, int batchesPerEpoch, int vggBatches, int vggRuns, int batchSize, Path mnistDir,
                          Device device) {
    }

    private Bench() {
    }

    public static BenchReport run(Options o) throws IOException, TrialFailedException, TrialCancelledException {
        boolean real = Files.exists(o.mnistDir().resolve("train-images-idx3-ubyte"))
                || Files.exists(o.mnistDir().resolve("train-images-idx3-ubyte.gz"));
        int examples = o.batchesPerEpoch() * o.batchSize();
        ImageDataset train = real ? Datasets.open("mnist", o.mnistDir(), true)
                : new RandomImages(DatasetInfo.MNIST, examples, 1);
        ImageDataset test = real ? Datasets.open("mnist", o.mnistDir(), false)
                : new RandomImages(DatasetInfo.MNIST, o.batchSize(), 2);
        LOG.info("bench: {} data, batch {}, {} batches per epoch, {} timed epochs per variant, device {}",
                real ? "real MNIST" : "random MNIST-shaped", o.batchSize(), o.batchesPerEpoch(), o.runs(), o.device());
        // RSS flatness needs epochs 2..5, throughput needs a warm-up epoch plus `runs` timed epochs.
        int bbEpochs = Math.max(o.runs() + 1, 5);
        Map<Integer, Double> rss = new TreeMap<>();
        Map<String, Double> peaks = new java.util.LinkedHashMap<>();
        boolean perModel = MemoryProbe.resetPeak();
        List<EpochMetrics> bb = train(config("mnist", bbEpochs, examples, o.batchSize()), train, test, o.device(),
                m -> create(m, "mnist", bbEpochs, examples, o.batchSize()), rss);
        peaks.put("lenet5-bayesian-bits", peakSince(perModel));
        List<EpochMetrics> fp = train(config("mnist", o.runs() + 1, examples, o.batchSize()), train, test, o.device(),
                PlainLeNet5::new, null);
        peaks.put("lenet5-fp32", peakSince(perModel));
        int vggExamples = o.vggBatches() * o.batchSize();
        int vggEpochs = o.vggRuns() + 1;
        List<EpochMetrics> vgg = train(config("cifar10", vggEpochs, vggExamples, o.batchSize()),
                new RandomImages(DatasetInfo.CIFAR10, vggExamples, 3), new RandomImages(DatasetInfo.CIFAR10, 16, 4),
                o.device(), m -> create(m, "cifar10", vggEpochs, vggExamples, o.batchSize()), null);
        peaks.put("vgg7-bayesian-bits", peakSince(perModel));
        List<EpochMetrics> vggFp = train(config("cifar10", vggEpochs, vggExamples, o.batchSize()),
                new RandomImages(DatasetInfo.CIFAR10, vggExamples, 3), new RandomImages(DatasetInfo.CIFAR10, 16, 4),
                o.device(), PlainVgg7::new, null);
        peaks.put("vgg7-fp32", peakSince(perModel));

        List<Double> bbIps = timed(bb, o.runs());
        List<Double> fpIps = timed(fp, o.runs());
        List<Double> vggIps = timed(vgg, o.vggRuns());
        List<Double> vggFpIps = timed(vggFp, o.vggRuns());
        double drift = drift(rss);
        return new BenchReport(real ? "mnist" : "random", o.batchSize(), o.batchesPerEpoch(), o.device().toString(),
                bbIps, median(bbIps), fpIps, median(fpIps), median(bbIps) / median(fpIps),
                median(vggIps), rss, drift, processPeak(peaks, perModel), vggIps, vggFpIps, median(vggFpIps),
                median(vggIps) / median(vggFpIps), peaks, perModel);
    }

    /** The process peak: after resets VmHWM only covers the last model, so the largest per-model peak. */
    private static double processPeak(Map<String, Double> peaks, boolean resettable) {
        return resettable ? peaks.values().stream().mapToDouble(Double::doubleValue).max().orElse(-1)
                : MemoryProbe.peakRssMiB();
    }

    /** Peak RSS since the last reset, then reset again for the next model. */
    private static double peakSince(boolean resettable) {
        double peak = MemoryProbe.peakRssMiB();
        if (resettable) {
            MemoryProbe.resetPeak();
        }
        return peak;
    }

    private static TrialConfig config(String experiment, int epochs, int examples, int batch) {
        Map<String, Object> m = new HashMap<>();
        m.put("experiment", experiment);
        m.put("epochs", epochs);
        m.put("limit-train", examples);
        m.put("limit-test", batch);
        m.put("batch-size", batch);
        m.put("eval-every", 1000);
        m.put("seed", 1L);
        return Json.MAPPER.convertValue(m, TrialConfig.class).resolved();
    }

    private static BitsModel create(NDManager m, String experiment, int epochs, int examples, int batch) {
        try {
            return BitsModels.create(config(experiment, epochs, examples, batch), m);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<EpochMetrics> train(TrialConfig cfg, ImageDataset train, ImageDataset test, Device device,
                                            Function<NDManager, BitsModel> model, Map<Integer, Double> rss)
            throws TrialFailedException, TrialCancelledException {
        TrialListener listener = new TrialListener() {
            @Override
            public void onEpoch(EpochMetrics metrics) {
                if (rss != null) {
                    // The JVM heap grows in steps up to -Xmx and counts in RSS; what must stay flat is the
                    // rest (native tensors), so the committed heap is subtracted.
                    rss.put(metrics.epoch(), MemoryProbe.rssMiB() - Runtime.getRuntime().totalMemory() / 1048576.0);
                }
            }
        };
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Seeds.seedEngine(cfg.seed(), 0);
            BitsModel m = model.apply(manager);
            LOG.info("bench: training {} for {} epoch(s)", m.architecture(), cfg.epochs());
            return new TrainingSession("bench-" + m.architecture(), cfg, m, train, test, manager, listener,
                    CancellationToken.none(), null).run(null).history();
        }
    }

    /** Images/s of the epochs after the warm-up epoch, at most {@code runs} of them. */
    private static List<Double> timed(List<EpochMetrics> history, int runs) {
        List<Double> out = new ArrayList<>();
        for (int i = 1; i < history.size() && out.size() < runs; i++) {
            out.add(history.get(i).imagesPerSecond());
        }
        return out;
    }

    static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        s.sort(Double::compare);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** (max − min)/min over epochs 2…5, in percent. */
    static double drift(Map<Integer, Double> rss) {
        double min = Double.MAX_VALUE;
        double max = 0;
        for (int e = 2; e <= 5; e++) {
            Double v = rss.get(e);
            if (v != null) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return max == 0 ? Double.NaN : 100 * (max - min) / min;
    }
}
