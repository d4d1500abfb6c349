/**
 * Data sets as raw [0, 1] CHW pixels plus labels, and the batch loader that feeds the trainer.
 *
 * <p>{@link bitsweep.data.Datasets#open} picks the reader of an experiment: MNIST IDX files
 * ({@link bitsweep.data.MnistDataset}), CIFAR-10 binary batches ({@link bitsweep.data.Cifar10Dataset})
 * or the ImageNet folder layout ({@link bitsweep.data.ImageNetDataset}). Every reader validates its
 * files when opened and names the file and the expectation in its {@code IOException}.
 * {@link bitsweep.data.BatchLoader} shuffles per (seed, epoch), augments, and prefetches batches
 * on a background thread. Normalisation happens inside the models, never here.
 */
package bitsweep.data;
