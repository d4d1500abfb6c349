package bitsweep.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import bitsweep.artifact.FixedGateArtifact;
import bitsweep.autograd.ParameterGroup;
import bitsweep.bops.BopsReport;
import bitsweep.data.DatasetInfo;

/**
 * A Bayesian Bits network (LeNet-5, VGG-7 or ResNet-18) as the trainer sees it. The DJL
 * {@link #block()} takes raw [0, 1] NCHW pixels (normalisation is inside) and returns logits;
 * {@code training = true} in DJL's forward means sampled hard-concrete gates and batch statistics.
 */
public interface BitsModel {

    /** {@code lenet5}, {@code vgg7} or {@code resnet18}. */
    String architecture();

    DatasetInfo dataset();

    Block block();

    /**
     * The range-initialisation pass (spec §4): one training-mode forward without gradient on
     * {@code examples} (the first 2 examples of the first shuffled batch). Must run once before
     * the optimisers are built; a model restored from a checkpoint skips it.
     */
    void initializeRanges(NDArray examples);

    /** Σ_i R_i over every existing quantizer (spec §5), a scalar with gradient w.r.t. the gate logits. */
    NDArray regularizer(NDManager manager);

    /** Relative BOPs and the per-layer table from the deterministic gates (spec §7). */
    BopsReport bops();

    /** Which optimiser group a parameter belongs to (spec §8.1). */
    ParameterGroup groupOf(Parameter parameter);

    /**
     * Fixed-gate fine-tuning swap (spec §9 steps 1–4): freeze gates to bit widths and pruning masks,
     * replace every quantizer by a fixed-bit quantizer with a trainable range, fold batch norm
     * statically. After this {@link #regularizer} is zero and the gates are gone.
     */
    void freezeToFixedGates();

    /** Per-quantizer state for the evaluation table (spec §8.4), in module order. */
    default java.util.List<QuantizerSummary> quantizerSummaries() {
        return java.util.List.of();
    }

    /**
     * Whether {@link #freezeToFixedGates} has run. Checkpoints (DJL {@code Block.saveParameters}, which
     * also carries the quantizers' initialised/signed flags and the BN running statistics) can only be
     * loaded into a model in the same phase: call {@code freezeToFixedGates()} before loading a
     * fine-tuning checkpoint.
     */
    default boolean isFrozen() {
        return false;
    }

    /** The fixed-gate network as a portable artifact (freezes the gates first if not yet done). */
    FixedGateArtifact toArtifact(String trialId, Double top1);
}
