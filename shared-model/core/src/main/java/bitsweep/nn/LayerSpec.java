package bitsweep.nn;

import bitsweep.artifact.ArtifactNode;

/**
 * Geometry and options of one quantized conv/linear layer.
 *
 * @param name          layer name (bit table, artifact node, pretrained-weight mapping)
 * @param kind          conv or linear
 * @param in            input channels / features
 * @param out           output channels / features
 * @param kernel        square kernel size (conv)
 * @param stride        stride (conv)
 * @param padding       zero padding (conv)
 * @param inHeight      input height (conv; for MAC counting and shapes)
 * @param inWidth       input width (conv)
 * @param bias          float bias (plain layers, spec §6.1)
 * @param batchNorm     batch-norm folded (spec §6.2); no bias then
 * @param activation    ReLU or none
 * @param pool          max-pool applied after the activation quantizer, or null
 */
public record LayerSpec(String name, ArtifactNode.QuantLayer.Kind kind, int in, int out, int kernel, int stride,
                        int padding, int inHeight, int inWidth, boolean bias, boolean batchNorm,
                        ArtifactNode.Activation activation, PoolSpec pool) {

    /** Max pooling geometry (square). */
    public record PoolSpec(int kernel, int stride, int padding) {
        int outSize(int size) {
            return (size + 2 * padding - kernel) / stride + 1;
        }
    }

    public static LayerSpec conv(String name, int in, int out, int kernel, int stride, int padding, int inH, int inW,
                                 boolean bias, boolean batchNorm, ArtifactNode.Activation act, PoolSpec pool) {
        return new LayerSpec(name, ArtifactNode.QuantLayer.Kind.CONV, in, out, kernel, stride, padding, inH, inW,
                bias, batchNorm, act, pool);
    }

    public static LayerSpec linear(String name, int in, int out, boolean bias, boolean batchNorm,
                                   ArtifactNode.Activation act) {
        return new LayerSpec(name, ArtifactNode.QuantLayer.Kind.LINEAR, in, out, 1, 1, 0, 1, 1, bias, batchNorm, act,
                null);
    }

    public boolean isConv() {
        return kind == ArtifactNode.QuantLayer.Kind.CONV;
    }

    public int outHeight() {
        return isConv() ? (inHeight + 2 * padding - kernel) / stride + 1 : 1;
    }

    public int outWidth() {
        return isConv() ? (inWidth + 2 * padding - kernel) / stride + 1 : 1;
    }

    /** Spatial size after the optional pool. */
    public int pooledHeight() {
        return pool == null ? outHeight() : pool.outSize(outHeight());
    }

    public int pooledWidth() {
        return pool == null ? outWidth() : pool.outSize(outWidth());
    }

    /** Spec §7.1: {@code C_out·H_out·W_out·kH·kW·C_in} (conv), {@code out·in} (linear). */
    public long macs() {
        return isConv() ? (long) out * outHeight() * outWidth() * kernel * kernel * in : (long) out * in;
    }

    public long fanIn() {
        return isConv() ? (long) in * kernel * kernel : in;
    }
}
