package bitsweep.artifact;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * One operation of a fixed-gate network. Nodes are listed in topological order; each names its
 * input node(s); the network input is the node name {@value FixedGateArtifact#INPUT}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ArtifactNode.Normalize.class, name = "normalize"),
        @JsonSubTypes.Type(value = ArtifactNode.QuantLayer.class, name = "quant_layer"),
        @JsonSubTypes.Type(value = ArtifactNode.MaxPool.class, name = "max_pool"),
        @JsonSubTypes.Type(value = ArtifactNode.GlobalAvgPool.class, name = "global_avg_pool"),
        @JsonSubTypes.Type(value = ArtifactNode.Flatten.class, name = "flatten"),
        @JsonSubTypes.Type(value = ArtifactNode.Add.class, name = "add"),
})
public sealed interface ArtifactNode {

    String name();

    List<String> inputs();

    /** Activation function applied inside a node. */
    enum Activation { RELU, NONE }

    /** Per-channel {@code (x − mean) / std} on raw [0, 1] pixels. */
    record Normalize(String name, String input, float[] mean, float[] std) implements ArtifactNode {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /**
     * A conv ({@code kind = CONV}, weight {@code [out, in, kH, kW]}) or linear ({@code kind = LINEAR},
     * weight {@code [out, in]}) layer of the fixed-gate model:
     * {@code y = outputQuant(act(op(x, keep ⊙ weightQuant(W)) + bias))}.
     *
     * @param weight      tensor key of the float weight (batch norm already folded statically)
     * @param bias        tensor key of the float bias (never quantized, never gated), or null
     * @param weightQuant the weight quantizer, or null for unquantized (float) weights
     * @param keep        per-output-channel pruning mask (false = 0-bit channel: weights zero, bias
     *                    kept), or null when nothing is pruned
     * @param outputQuant the activation quantizer after {@code activation}, or null (e.g. logits)
     */
    record QuantLayer(String name, String input, Kind kind, int inChannels, int outChannels,
                      int[] kernel, int[] stride, int[] padding, String weight, String bias,
                      QuantSpec weightQuant, boolean[] keep, Activation activation,
                      QuantSpec outputQuant) implements ArtifactNode {
        public enum Kind { CONV, LINEAR }

        @Override
        public List<String> inputs() {
            return List.of(input);
        }

        public int keptChannels() {
            if (keep == null) {
                return outChannels;
            }
            int n = 0;
            for (boolean k : keep) {
                n += k ? 1 : 0;
            }
            return n;
        }
    }

    /** Max pooling (values stay on the quantization grid). */
    record MaxPool(String name, String input, int[] kernel, int[] stride, int[] padding) implements ArtifactNode {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** Global average pooling to {@code [N, C]}... kept as {@code [N, C, 1, 1]}; a Flatten follows. */
    record GlobalAvgPool(String name, String input) implements ArtifactNode {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** Flattens {@code [N, C, H, W]} to {@code [N, C·H·W]} in C, H, W order. */
    record Flatten(String name, String input) implements ArtifactNode {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** Residual addition {@code outputQuant(act(a + b))}. */
    record Add(String name, String a, String b, Activation activation, QuantSpec outputQuant) implements ArtifactNode {
        @Override
        public List<String> inputs() {
            return List.of(a, b);
        }
    }
}
