/**
 * Quantized layers and networks (spec §6): plain and batch-norm-folded conv/linear layers, LeNet-5,
 * VGG-7 and ResNet-18 "updated", the {@link bitsweep.nn.BitsModel} implementation the trainer uses
 * ({@link bitsweep.nn.QuantizedModel}, built by {@link bitsweep.nn.BitsModels}), the fixed-gate swap
 * and the artifact writer.
 */
package bitsweep.nn;
