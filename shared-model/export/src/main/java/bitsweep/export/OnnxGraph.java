package bitsweep.export;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;

/**
 * A thin builder over the ONNX protobuf classes shipped in {@code tribuo-util-onnx}: nodes with
 * unique names, typed initializers (including int4/uint4 packed two per byte, low nibble first,
 * and int16/uint16), and the model wrapper. Tribuo's own operator enum predates opset 21 and has
 * no Conv, pooling or QuantizeLinear, so only its protobuf classes are used.
 */
final class OnnxGraph {

    /** ONNX {@code TensorProto.DataType} numbers (the generated enum predates INT4/UINT4). */
    static final int FLOAT = 1;
    static final int UINT8 = 2;
    static final int INT8 = 3;
    static final int UINT16 = 4;
    static final int INT16 = 5;
    static final int UINT4 = 21;
    static final int INT4 = 22;

    private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
    private final Set<String> names = new HashSet<>();
    private long initializerBytes;

    OnnxGraph(String name, String... reserved) {
        graph.setName(name);
        names.addAll(java.util.List.of(reserved));
    }

    String unique(String base) {
        String name = base;
        for (int i = 1; !names.add(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    /** Adds a node with one output named after {@code outputBase}; returns the output name. */
    String node(String opType, String outputBase, String[] inputs, AttributeProto... attributes) {
        return nodeNamed(opType, unique(outputBase), inputs, attributes);
    }

    /** Adds a node whose output is exactly {@code out} (a reserved graph output name). */
    String nodeNamed(String opType, String out, String[] inputs, AttributeProto... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(out);
        for (String in : inputs) {
            n.addInput(in);
        }
        n.addOutput(out);
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return out;
    }

    static AttributeProto ints(String name, int... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (int v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    static AttributeProto intAttr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    String floats(String base, long[] dims, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return initializer(base, FLOAT, dims, b.array());
    }

    String scalar(String base, float value) {
        return floats(base, new long[0], new float[] {value});
    }

    /** An integer initializer of ONNX type {@code type} holding {@code codes} (which must fit it). */
    String integers(String base, int type, long[] dims, int[] codes) {
        byte[] raw;
        switch (type) {
            case INT4, UINT4 -> {
                raw = new byte[(codes.length + 1) / 2];
                for (int i = 0; i < codes.length; i++) {
                    int nibble = codes[i] & 0xF;
                    raw[i / 2] |= (byte) (i % 2 == 0 ? nibble : nibble << 4);
                }
            }
            case INT8, UINT8 -> {
                raw = new byte[codes.length];
                for (int i = 0; i < codes.length; i++) {
                    raw[i] = (byte) codes[i];
                }
            }
            case INT16, UINT16 -> {
                ByteBuffer b = ByteBuffer.allocate(codes.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                for (int c : codes) {
                    b.putShort((short) c);
                }
                raw = b.array();
            }
            default -> throw new IllegalArgumentException("unsupported integer type " + type);
        }
        return initializer(base, type, dims, raw);
    }

    /** A zero point of ONNX type {@code type}: a scalar 0 that also fixes QuantizeLinear's output type. */
    String zeroPoint(String base, int type) {
        return integers(base, type, new long[0], new int[] {0});
    }

    private String initializer(String base, int type, long[] dims, byte[] raw) {
        String name = unique(base);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type).setRawData(ByteString.copyFrom(raw));
        for (long d : dims) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        initializerBytes += raw.length;
        return name;
    }

    long initializerBytes() {
        return initializerBytes;
    }

    /** Declares a float32 graph input/output with a symbolic batch dimension {@code N}. */
    void floatInput(String name, int... perExample) {
        graph.addInput(valueInfo(name, perExample));
        names.add(name);
    }

    void floatOutput(String name, int... perExample) {
        graph.addOutput(valueInfo(name, perExample));
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, int[] perExample) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
        for (int d : perExample) {
            shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        OnnxMl.TypeProto type = OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(FLOAT).setShape(shape)).build();
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    OnnxMl.GraphProto build() {
        return graph.build();
    }
}
