package bitsweep.artifact;

import bitsweep.artifact.LayerBits;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Map;

/**
 * The portable result of a trial: the fixed-gate network (gates frozen to bit widths and pruning
 * masks, spec §9) as a small graph of {@link ArtifactNode}s plus float tensors. The ONNX exporter
 * and the DJL reference evaluator both read only this. Stored by {@link ArtifactIO}.
 *
 * @param formatVersion {@link #FORMAT_VERSION}
 * @param trialId       the trial that produced it
 * @param architecture  {@code lenet5}, {@code vgg7} or {@code resnet18}
 * @param experiment    {@code mnist}, {@code cifar10} or {@code imagenet}
 * @param inputShape    {@code [C, H, W]} of one example (raw pixels in [0, 1])
 * @param numClasses    logits width
 * @param nodes         the graph in topological order; the last node's output is the logits
 * @param relativeBops  relative BOPs in percent of the fixed-gate model
 * @param gbops         absolute BOPs / 1e9
 * @param top1          DJL fixed-gate test top-1 in percent measured by the trainer, or null
 * @param bitTable      per-layer bits and keep ratios
 * @param tensors       tensor key → values (not part of the JSON header)
 */
public record FixedGateArtifact(int formatVersion, String trialId, String architecture, String experiment,
                                int[] inputShape, int numClasses, List<ArtifactNode> nodes,
                                double relativeBops, double gbops, Double top1, List<LayerBits> bitTable,
                                @JsonIgnore Map<String, Tensor> tensors) {

    public static final int FORMAT_VERSION = 1;
    public static final String INPUT = "input";

    public Tensor tensor(String key) {
        Tensor t = tensors.get(key);
        if (t == null) {
            throw new IllegalStateException("artifact of trial " + trialId + " has no tensor '" + key + "'");
        }
        return t;
    }

    /** Name of the node whose output is the logits. */
    public String outputNode() {
        return nodes.get(nodes.size() - 1).name();
    }

    public FixedGateArtifact withTensors(Map<String, Tensor> newTensors) {
        return new FixedGateArtifact(formatVersion, trialId, architecture, experiment, inputShape, numClasses,
                nodes, relativeBops, gbops, top1, bitTable, newTensors);
    }
}
