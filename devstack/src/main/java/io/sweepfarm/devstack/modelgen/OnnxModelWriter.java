package io.sweepfarm.devstack.modelgen;

import com.google.protobuf.ByteString;
import io.sweepfarm.onnx.AttributeProto;
import io.sweepfarm.onnx.GraphProto;
import io.sweepfarm.onnx.ModelProto;
import io.sweepfarm.onnx.NodeProto;
import io.sweepfarm.onnx.OperatorSetIdProto;
import io.sweepfarm.onnx.StringStringEntryProto;
import io.sweepfarm.onnx.TensorProto;
import io.sweepfarm.onnx.TensorShapeProto;
import io.sweepfarm.onnx.TypeProto;
import io.sweepfarm.onnx.ValueInfoProto;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Serializes an {@link OnnxGraph} as an ONNX {@code ModelProto} (the classes protoc generates in
 * {@code onnx-format}). With {@link ExternalData} other than NONE, every initializer of at least
 * {@link #EXTERNAL_THRESHOLD_BYTES} goes into one data file next to the model ({@code data_location = EXTERNAL},
 * {@code external_data} keys location/offset/length), the way onnx's external-data helper lays it out; smaller ones
 * stay inline.
 */
public final class OnnxModelWriter {

    /** IR version 8 (ONNX 1.10+), read by every ONNX Runtime since 1.10. */
    public static final long IR_VERSION = 8;
    /** Default-domain opset; ONNX Runtime 1.23 implements it fully on CPU and CUDA. */
    public static final long OPSET = 17;
    /** Same default threshold as onnx's {@code convert_model_to_external_data}. */
    public static final int EXTERNAL_THRESHOLD_BYTES = 1024;
    private static final int ALIGNMENT = 64;

    private OnnxModelWriter() {
    }

    /** Writes {@code modelFile} (and, for external data, the data file in the same folder). */
    public static void write(Path modelFile, OnnxGraph graph, ExternalData external) throws IOException {
        Path dir = modelFile.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        GraphProto.Builder g = GraphProto.newBuilder().setName(graph.name());
        for (OnnxGraph.Node node : graph.nodes()) {
            g.addNode(node(node));
        }
        try (OutputStream data = external == ExternalData.NONE ? null
                : Files.newOutputStream(dir.resolve(external.fileName()))) {
            long offset = 0;
            for (Tensor t : graph.initializers()) {
                if (data != null && t.raw().length >= EXTERNAL_THRESHOLD_BYTES) {
                    long padding = (ALIGNMENT - offset % ALIGNMENT) % ALIGNMENT;
                    data.write(new byte[(int) padding]);
                    offset += padding;
                    data.write(t.raw());
                    g.addInitializer(externalTensor(t, external.fileName(), offset));
                    offset += t.raw().length;
                } else {
                    g.addInitializer(tensor(t));
                }
            }
        }
        for (OnnxGraph.ValueInfo in : graph.inputs()) {
            g.addInput(valueInfo(in));
        }
        for (OnnxGraph.ValueInfo out : graph.outputs()) {
            g.addOutput(valueInfo(out));
        }
        ModelProto model = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("sweepfarm-modelgen")
                .setProducerVersion("1")
                .setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .build();
        Files.write(modelFile, model.toByteArray());
    }

    static TensorProto tensor(Tensor t) {
        return tensorHeader(t).setRawData(ByteString.copyFrom(t.raw())).build();
    }

    private static TensorProto externalTensor(Tensor t, String location, long offset) {
        return tensorHeader(t)
                .addExternalData(entry("location", location))
                .addExternalData(entry("offset", Long.toString(offset)))
                .addExternalData(entry("length", Integer.toString(t.raw().length)))
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .build();
    }

    private static TensorProto.Builder tensorHeader(Tensor t) {
        TensorProto.Builder b = TensorProto.newBuilder().setDataType(t.type().onnx().getNumber()).setName(t.name());
        for (long d : t.dims()) {
            b.addDims(d);
        }
        return b;
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    private static NodeProto node(OnnxGraph.Node node) {
        NodeProto.Builder b = NodeProto.newBuilder().addAllInput(node.inputs()).addAllOutput(node.outputs())
                .setName(node.name()).setOpType(node.opType());
        for (Attr a : node.attrs()) {
            b.addAttribute(attribute(a));
        }
        return b.build();
    }

    private static AttributeProto attribute(Attr a) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(a.name()).setType(a.type());
        switch (a.type()) {
            case FLOAT -> b.setF((Float) a.value());
            case INT -> b.setI((Long) a.value());
            case STRING -> b.setS(ByteString.copyFromUtf8((String) a.value()));
            case TENSOR -> b.setT(tensor((Tensor) a.value()));
            case FLOATS -> {
                for (float f : (float[]) a.value()) {
                    b.addFloats(f);
                }
            }
            case INTS -> {
                for (long i : (long[]) a.value()) {
                    b.addInts(i);
                }
            }
            default -> throw new IllegalArgumentException("unsupported attribute type " + a.type());
        }
        return b.build();
    }

    private static ValueInfoProto valueInfo(OnnxGraph.ValueInfo v) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : v.dims()) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof Long n) {
                dim.setDimValue(n);
            } else {
                dim.setDimParam((String) d);
            }
            shape.addDim(dim);
        }
        TypeProto.Tensor tensorType = TypeProto.Tensor.newBuilder().setElemType(v.type().onnx().getNumber())
                .setShape(shape).build();
        return ValueInfoProto.newBuilder().setName(v.name())
                .setType(TypeProto.newBuilder().setTensorType(tensorType)).build();
    }
}
