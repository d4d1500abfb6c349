package bitsweep.nn;

import ai.djl.ndarray.NDArray;
import bitsweep.artifact.ArtifactNode;
import bitsweep.artifact.FixedGateArtifact;
import bitsweep.artifact.Tensor;
import bitsweep.bops.BopsReport;
import bitsweep.quant.Quantizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a frozen {@link QuantizedModel} into a {@link FixedGateArtifact} whose node graph computes
 * exactly the fixed-gate model's eval function: weights are the (statically BN-folded) float
 * weights, quantizer specs carry the fine-tuned ranges, keep masks the frozen pruning gates.
 */
final class ArtifactWriter {

    private final List<ArtifactNode> nodes = new ArrayList<>();
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    private ArtifactWriter() {
    }

    static FixedGateArtifact write(QuantizedModel model, String trialId, Double top1) {
        ArtifactWriter w = new ArtifactWriter();
        if (model.block() instanceof SequentialNet net) {
            String prev = w.normalize(net.normalization());
            for (QuantLayer l : net.layers()) {
                if (!l.spec().isConv() && !prev.equals(FixedGateArtifact.INPUT) && isSpatial(w, prev)) {
                    w.nodes.add(new ArtifactNode.Flatten("flatten", prev));
                    prev = "flatten";
                }
                prev = w.layer(l, prev);
            }
        } else if (model.block() instanceof ResNetNet net) {
            String prev = w.layer(net.stem(), w.normalize(net.normalization()));
            for (ResidualBlock b : net.blocks()) {
                String main = w.layer(b.features1(), w.layer(b.features0(), prev));
                String shortcut = b.downsample() == null ? prev : w.layer(b.downsample(), prev);
                w.nodes.add(new ArtifactNode.Add(b.name(), main, shortcut, ArtifactNode.Activation.RELU,
                        spec(b.outputQuantizer())));
                prev = b.name();
            }
            w.nodes.add(new ArtifactNode.GlobalAvgPool("avgpool", prev));
            w.nodes.add(new ArtifactNode.Flatten("flatten", "avgpool"));
            w.layer(net.fc(), "flatten");
        } else {
            throw new IllegalStateException("unknown network block " + model.block().getClass().getName());
        }
        BopsReport bops = model.bops();
        bitsweep.data.DatasetInfo info = model.dataset();
        return new FixedGateArtifact(FixedGateArtifact.FORMAT_VERSION, trialId, model.architecture(), info.name(),
                new int[] {info.channels(), info.height(), info.width()}, info.numClasses(), List.copyOf(w.nodes),
                bops.relativeBops(), bops.gbops(), top1, bops.layers(), w.tensors);
    }

    private static boolean isSpatial(ArtifactWriter w, String node) {
        for (ArtifactNode n : w.nodes) {
            if (n.name().equals(node)) {
                return !(n instanceof ArtifactNode.QuantLayer q && q.kind() == ArtifactNode.QuantLayer.Kind.LINEAR)
                        && !(n instanceof ArtifactNode.Flatten);
            }
        }
        return true;
    }

    private String normalize(InputNormalization n) {
        nodes.add(new ArtifactNode.Normalize("normalize", FixedGateArtifact.INPUT, n.mean(), n.std()));
        return "normalize";
    }

    private String layer(QuantLayer l, String input) {
        if (!l.isFrozen()) {
            throw new IllegalStateException("layer " + l.name() + " is not frozen");
        }
        LayerSpec s = l.spec();
        String weightKey = l.name() + ".weight";
        tensors.put(weightKey, tensor(l.weightParameter().getArray()));
        String biasKey = null;
        if (l.biasParameter() != null) {
            biasKey = l.name() + ".bias";
            tensors.put(biasKey, tensor(l.biasParameter().getArray()));
        }
        Quantizer wq = l.weightQuantizer();
        boolean conv = s.isConv();
        nodes.add(new ArtifactNode.QuantLayer(l.name(), input, s.kind(), s.in(), s.out(),
                conv ? new int[] {s.kernel(), s.kernel()} : null, conv ? new int[] {s.stride(), s.stride()} : null,
                conv ? new int[] {s.padding(), s.padding()} : null, weightKey, biasKey, spec(wq),
                wq == null ? null : wq.keepMask(), s.activation(), spec(l.outputQuantizer())));
        if (s.pool() == null) {
            return l.name();
        }
        LayerSpec.PoolSpec p = s.pool();
        String pool = l.name() + ".pool";
        nodes.add(new ArtifactNode.MaxPool(pool, l.name(), new int[] {p.kernel(), p.kernel()},
                new int[] {p.stride(), p.stride()}, new int[] {p.padding(), p.padding()}));
        return pool;
    }

    private static bitsweep.artifact.QuantSpec spec(Quantizer q) {
        return q == null ? null : q.frozenSpec();
    }

    private static Tensor tensor(NDArray a) {
        return new Tensor(a.getShape().getShape(), a.toFloatArray());
    }
}
