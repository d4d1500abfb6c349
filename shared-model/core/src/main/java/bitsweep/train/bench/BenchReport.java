package bitsweep.train.bench;

import java.util.List;
import java.util.Map;

/**
 * Every figure of one {@code bitsweep bench} run.
 *
 * @param data                    {@code mnist} (real files) or {@code random} (random input of MNIST shape)
 * @param batchSize               mini-batch size of all runs
 * @param lenet5BayesianBits      images/s of each timed epoch, Bayesian Bits LeNet-5
 * @param lenet5FullPrecision     images/s of each timed epoch, the same loop on the plain FP32 LeNet-5
 * @param vgg7BayesianBits        images/s of VGG-7 Bayesian Bits on CIFAR-shaped random input (median of the
 *                                timed epochs after one warm-up epoch)
 * @param rssMiBAfterEpoch        RSS minus the committed JVM heap after each epoch of the Bayesian Bits
 *                                LeNet-5 run (epoch → MiB): native memory, tensors included
 * @param rssDriftPercent         (max − min)/min of that figure over epochs 2…5, in percent
 * @param peakRssMiB              peak RSS of the process ({@code VmHWM})
 * @param vgg7BayesianBitsRuns    images/s of each timed VGG-7 Bayesian Bits epoch
 * @param vgg7FullPrecisionRuns   images/s of each timed epoch of the plain FP32 VGG-7, same loop
 * @param vgg7FullPrecision       their median
 * @param vgg7BayesianBitsToFullPrecision Bayesian Bits / FP32 for VGG-7
 * @param peakRssMiBByModel       peak RSS while each model trained (model → MiB; the peak is reset before each
 *                                model, see {@code peakRssPerModel})
 * @param peakRssPerModel         whether that reset worked; if not, each figure is the process peak so far
 */
public record BenchReport(String data, int batchSize, int batchesPerEpoch, String device,
                          List<Double> lenet5BayesianBits, double lenet5BayesianBitsMedian,
                          List<Double> lenet5FullPrecision, double lenet5FullPrecisionMedian,
                          double bayesianBitsToFullPrecision, double vgg7BayesianBits,
                          Map<Integer, Double> nativeRssMiBAfterEpoch, double rssDriftPercent, double peakRssMiB,
                          List<Double> vgg7BayesianBitsRuns, List<Double> vgg7FullPrecisionRuns,
                          double vgg7FullPrecision, double vgg7BayesianBitsToFullPrecision,
                          Map<String, Double> peakRssMiBByModel, boolean peakRssPerModel) {
}
