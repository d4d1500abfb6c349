package bitsweep.app.cli;

import bitsweep.io.Json;
import bitsweep.train.Devices;
import bitsweep.train.bench.Bench;
import bitsweep.train.bench.BenchReport;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bitsweep bench}: training throughput and memory of the real training loop. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Training throughput (images/s) of Bayesian Bits LeNet-5 and VGG-7 vs. plain FP32 "
                + "(same loop; VGG-7 on CIFAR-shaped input), RSS per epoch and peak RSS per model.",
                "Uses real MNIST from --mnist-dir when present, else random MNIST-shaped input."})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "print one JSON object with every figure")
    boolean json;
    // 1 warm-up + 4 timed epochs: RSS is reported after epochs 1..5, and epochs 2..5 must stay flat
    @Option(names = "--runs", defaultValue = "4", description = "timed epochs per LeNet-5 variant, median reported "
            + "(>= 3; default ${DEFAULT-VALUE})")
    int runs;
    // a whole MNIST epoch: shorter epochs still show the allocator warming up in the RSS figures
    @Option(names = "--batches", defaultValue = "469", description = "batches per benchmark epoch (default "
            + "${DEFAULT-VALUE} = one MNIST epoch at batch 128; fewer for a quick look)")
    int batches;
    @Option(names = "--vgg-batches", defaultValue = "2", description = "VGG-7 batches (default ${DEFAULT-VALUE})")
    int vggBatches;
    @Option(names = "--vgg-runs", defaultValue = "3", description = "timed VGG-7 epochs per variant after one "
            + "warm-up epoch, median reported (default ${DEFAULT-VALUE})")
    int vggRuns;
    @Option(names = "--batch-size", defaultValue = "128")
    int batchSize;
    @Option(names = "--mnist-dir", defaultValue = "data/mnist")
    Path mnistDir;
    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu() or gpu(N)")
    String device;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (runs < 3 || batches < 1 || vggBatches < 1 || vggRuns < 1 || batchSize < 1) {
            throw new IllegalArgumentException("--runs must be >= 3 and --batches, --vgg-batches, --vgg-runs, "
                    + "--batch-size >= 1");
        }
        BenchReport r = Bench.run(new Bench.Options(runs, batches, vggBatches, vggRuns, batchSize, mnistDir,
                Devices.select(device)));
        if (json) {
            out.println(Json.PRETTY_NON_NULL.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
        } else {
            out.printf(Locale.ROOT, "data: %s, batch %d, %d batches/epoch, device %s%n", r.data(), r.batchSize(),
                    r.batchesPerEpoch(), r.device());
            out.printf(Locale.ROOT, "Bayesian Bits LeNet-5: %.0f images/s (median of %s)%n",
                    r.lenet5BayesianBitsMedian(), r.lenet5BayesianBits());
            out.printf(Locale.ROOT, "FP32 LeNet-5:          %.0f images/s (median of %s)%n",
                    r.lenet5FullPrecisionMedian(), r.lenet5FullPrecision());
            out.printf(Locale.ROOT, "ratio BB/FP32:         %.2f%n", r.bayesianBitsToFullPrecision());
            out.printf(Locale.ROOT, "Bayesian Bits VGG-7:   %.1f images/s (median of %s, CIFAR-shaped random input)%n",
                    r.vgg7BayesianBits(), r.vgg7BayesianBitsRuns());
            out.printf(Locale.ROOT, "FP32 VGG-7:            %.1f images/s (median of %s)%n",
                    r.vgg7FullPrecision(), r.vgg7FullPrecisionRuns());
            out.printf(Locale.ROOT, "ratio BB/FP32 VGG-7:   %.2f%n", r.vgg7BayesianBitsToFullPrecision());
            out.printf(Locale.ROOT, "RSS - JVM heap after epoch (MiB): %s; drift epochs 2-5: %.1f %%%n",
                    r.nativeRssMiBAfterEpoch(),
                    r.rssDriftPercent());
            out.printf(Locale.ROOT, "peak RSS:              %.0f MiB%n", r.peakRssMiB());
            out.printf(Locale.ROOT, "peak RSS per model (MiB%s): %s%n",
                    r.peakRssPerModel() ? "" : ", not resettable here: process peak so far", r.peakRssMiBByModel());
        }
        out.flush();
        return 0;
    }
}
