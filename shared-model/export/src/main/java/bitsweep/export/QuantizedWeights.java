package bitsweep.export;

import bitsweep.artifact.ArtifactNode.QuantLayer;
import bitsweep.artifact.FixedGateArtifact;
import bitsweep.artifact.Tensor;

/**
 * The effective weights of one layer of the fixed-gate model: {@code keep ⊙ weightQuant(W)},
 * both as integer codes (when quantized below 32 bits) and as the float values those codes stand
 * for. Pruned output channels are all zero.
 *
 * @param shape  weight shape {@code [out, in(, kH, kW)]}
 * @param codes  integer codes, or null when the weights are float (unquantized or 32-bit)
 * @param values dequantized float values ({@code code · s}, or the clamped float weights)
 */
record QuantizedWeights(long[] shape, int[] codes, float[] values) {

    static QuantizedWeights of(FixedGateArtifact artifact, QuantLayer layer) {
        Tensor w = artifact.tensor(layer.weight());
        checkShape(layer, w);
        int out = layer.outChannels();
        int perOut = w.data().length / out;
        boolean[] keep = layer.keep();
        var q = layer.weightQuant();
        boolean integer = q != null && q.bits() < 32;
        int[] codes = integer ? new int[w.data().length] : null;
        float[] values = new float[w.data().length];
        for (int o = 0; o < out; o++) {
            if (keep != null && !keep[o]) {
                continue; // pruned channel: codes and values stay 0
            }
            for (int i = o * perOut; i < (o + 1) * perOut; i++) {
                float x = w.data()[i];
                if (q == null) {
                    values[i] = x;
                } else if (integer) {
                    codes[i] = QuantMath.code(q, x);
                    values[i] = codes[i] * q.scale();
                } else {
                    values[i] = QuantMath.clamp(q, x);
                }
            }
        }
        return new QuantizedWeights(w.shape(), codes, values);
    }

    private static void checkShape(QuantLayer layer, Tensor w) {
        long[] s = w.shape();
        boolean ok = switch (layer.kind()) {
            case CONV -> s.length == 4 && s[0] == layer.outChannels() && s[1] == layer.inChannels()
                    && s[2] == layer.kernel()[0] && s[3] == layer.kernel()[1];
            case LINEAR -> s.length == 2 && s[0] == layer.outChannels() && s[1] == layer.inChannels();
        };
        if (!ok) {
            throw new IllegalArgumentException("layer " + layer.name() + ": weight '" + layer.weight()
                    + "' has shape " + java.util.Arrays.toString(s) + ", expected " + layer.kind() + " ["
                    + layer.outChannels() + ", " + layer.inChannels()
                    + (layer.kind() == QuantLayer.Kind.CONV ? ", " + layer.kernel()[0] + ", " + layer.kernel()[1] : "")
                    + "]");
        }
        if (layer.keep() != null && layer.keep().length != layer.outChannels()) {
            throw new IllegalArgumentException("layer " + layer.name() + ": keep mask has " + layer.keep().length
                    + " entries, expected " + layer.outChannels());
        }
    }

    /** Number of weights per output channel. */
    int perOutput() {
        return values.length / (int) shape[0];
    }
}
