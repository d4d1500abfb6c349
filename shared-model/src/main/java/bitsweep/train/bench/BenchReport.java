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
 * @param vgg7BayesianBits        images/s of VGG-7 Bayesian Bits on CIFAR-shaped random input
 * @param rssMiBAfterEpoch        RSS minus the committed JVM heap after each epoch of the Bayesian Bits
 *                                LeNet-5 run (epoch → MiB): native memory, tensors included
 * @param rssDriftPercent         (max − min)/min of that figure over epochs 2…5, in percent
 * @param peakRssMiB              peak RSS of the process ({@code VmHWM})
 */
public record BenchReport(String data, int batchSize, int batchesPerEpoch, String device,
                          List<Double> lenet5BayesianBits, double lenet5BayesianBitsMedian,
                          List<Double> lenet5FullPrecision, double lenet5FullPrecisionMedian,
                          double bayesianBitsToFullPrecision, double vgg7BayesianBits,
                          Map<Integer, Double> nativeRssMiBAfterEpoch, double rssDriftPercent, double peakRssMiB) {
}
