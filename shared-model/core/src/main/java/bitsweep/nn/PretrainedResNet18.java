package bitsweep.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Loads ImageNet-pretrained FP32 torchvision ResNet-18 weights into the quantized ResNet-18
 * (spec §6.5): every conv + BN becomes a BN-folded layer initialised from the conv weight, BN
 * weight/bias and running statistics.
 *
 * <p>The file is an {@code .npz} of the torchvision {@code state_dict} (read with DJL's
 * {@code NDList.decode}), written once with:
 * <pre>
 * python -c "import numpy, torchvision; sd = torchvision.models.resnet18(weights='IMAGENET1K_V1').state_dict(); numpy.savez('resnet18.npz', **{k: v.numpy() for k, v in sd.items() if 'num_batches' not in k})"
 * </pre>
 * Keys used: {@code conv1.weight}, {@code bn1.*}, {@code layerS.B.conv1/conv2.weight}, {@code layerS.B.bn1/bn2.*},
 * {@code layerS.B.downsample.0.weight}, {@code layerS.B.downsample.1.*}, {@code fc.weight}, {@code fc.bias}
 * (BN: {@code weight, bias, running_mean, running_var}).
 */
public final class PretrainedResNet18 {

    private PretrainedResNet18() {
    }

    public static void load(QuantizedModel model, Path file) throws IOException {
        if (!(model.block() instanceof ResNetNet net)) {
            throw new IllegalArgumentException("pretrained weights are only supported for resnet18, not "
                    + model.architecture());
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "pretrained ResNet-18 weights (.npz) not found");
        }
        NDManager manager = net.stem().weightParameter().getArray().getManager();
        try (NDManager scope = manager.newSubManager(); InputStream in = Files.newInputStream(file)) {
            NDList list;
            try {
                list = NDList.decode(scope, in);
            } catch (RuntimeException e) {
                throw new IOException(file + ": not a readable .npz of a ResNet-18 state_dict (" + e.getMessage() + ")", e);
            }
            Map<String, NDArray> byName = new HashMap<>();
            for (NDArray a : list) {
                byName.put(stripNpy(a.getName()), a);
            }
            Loader loader = new Loader(file, byName);
            loader.convBn(net.stem(), "conv1", "bn1");
            for (ResidualBlock b : net.blocks()) {
                loader.convBn(b.features0(), b.name() + ".conv1", b.name() + ".bn1");
                loader.convBn(b.features1(), b.name() + ".conv2", b.name() + ".bn2");
                if (b.downsample() != null) {
                    loader.convBn(b.downsample(), b.name() + ".downsample.0", b.name() + ".downsample.1");
                }
            }
            loader.copy(net.fc().weightParameter(), "fc.weight");
            loader.copy(net.fc().biasParameter(), "fc.bias");
        }
    }

    private static String stripNpy(String name) {
        return name != null && name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
    }

    private record Loader(Path file, Map<String, NDArray> arrays) {

        void convBn(QuantLayer layer, String conv, String bn) throws IOException {
            copy(layer.weightParameter(), conv + ".weight");
            Parameter[] p = layer.batchNormParameters();
            copy(p[0], bn + ".weight");
            copy(p[1], bn + ".bias");
            copy(p[2], bn + ".running_mean");
            copy(p[3], bn + ".running_var");
        }

        void copy(Parameter target, String key) throws IOException {
            NDArray a = arrays.get(key);
            if (a == null) {
                throw new IOException(file + ": missing array '" + key + "' (expected a torchvision ResNet-18 state_dict)");
            }
            if (!a.getShape().equals(target.getArray().getShape())) {
                throw new IOException(file + ": array '" + key + "' has shape " + a.getShape() + ", expected "
                        + target.getArray().getShape());
            }
            target.getArray().set(a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray());
        }
    }
}
