package io.sweepfarm.devstack.modelgen;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Serializes an {@link OnnxGraph} as an ONNX {@code ModelProto}, with the field numbers of
 * onnx/onnx {@code onnx/onnx.proto}. With {@link ExternalData} other than NONE, every initializer of
 * at least {@link #EXTERNAL_THRESHOLD_BYTES} goes into one data file next to the model
 * ({@code data_location = EXTERNAL}, {@code external_data} keys location/offset/length), the way
 * onnx's external-data helper lays it out; smaller ones stay inline.
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

    /**
     * Writes {@code modelFile} (and, for external data, the data file in the same folder).
     */
    public static void write(Path modelFile, OnnxGraph graph, ExternalData external) throws IOException {
        Path dir = modelFile.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        OutputStream data = external == ExternalData.NONE ? null
                : Files.newOutputStream(dir.resolve(external.fileName()));
        try {
            ProtoWriter g = new ProtoWriter();
            for (OnnxGraph.Node node : graph.nodes()) {
                g.message(1, node(node));
            }
            g.string(2, graph.name());
            long offset = 0;
            for (Tensor t : graph.initializers()) {
                if (data != null && t.raw().length >= EXTERNAL_THRESHOLD_BYTES) {
                    long padding = (ALIGNMENT - offset % ALIGNMENT) % ALIGNMENT;
                    data.write(new byte[(int) padding]);
                    offset += padding;
                    data.write(t.raw());
                    g.message(5, externalTensor(t, external.fileName(), offset));
                    offset += t.raw().length;
                } else {
                    g.message(5, tensor(t));
                }
            }
            for (OnnxGraph.ValueInfo in : graph.inputs()) {
                g.message(11, valueInfo(in));
            }
            for (OnnxGraph.ValueInfo out : graph.outputs()) {
                g.message(12, valueInfo(out));
            }
            ProtoWriter model = new ProtoWriter()
                    .int64(1, IR_VERSION)
                    .string(2, "sweepfarm-modelgen")
                    .string(3, "1")
                    .message(7, g)
                    .message(8, new ProtoWriter().string(1, "").int64(2, OPSET));
            Files.write(modelFile, model.toByteArray());
        } finally {
            if (data != null) {
                data.close();
            }
        }
    }

    static ProtoWriter tensor(Tensor t) {
        ProtoWriter w = tensorHeader(t);
        w.bytes(9, t.raw());
        return w;
    }

    private static ProtoWriter externalTensor(Tensor t, String location, long offset) {
        ProtoWriter w = tensorHeader(t);
        w.message(13, entry("location", location));
        w.message(13, entry("offset", Long.toString(offset)));
        w.message(13, entry("length", Integer.toString(t.raw().length)));
        w.int64(14, 1); // DataLocation.EXTERNAL
        return w;
    }

    private static ProtoWriter tensorHeader(Tensor t) {
        ProtoWriter w = new ProtoWriter();
        for (long d : t.dims()) {
            w.int64(1, d);
        }
        w.int64(2, t.type().onnxCode());
        w.string(8, t.name());
        return w;
    }

    private static ProtoWriter entry(String key, String value) {
        return new ProtoWriter().string(1, key).string(2, value);
    }

    private static ProtoWriter node(OnnxGraph.Node node) {
        ProtoWriter w = new ProtoWriter();
        for (String in : node.inputs()) {
            w.string(1, in);
        }
        for (String out : node.outputs()) {
            w.string(2, out);
        }
        w.string(3, node.name());
        w.string(4, node.opType());
        for (Attr a : node.attrs()) {
            w.message(5, attribute(a));
        }
        return w;
    }

    private static ProtoWriter attribute(Attr a) {
        ProtoWriter w = new ProtoWriter().string(1, a.name());
        switch (a.type()) {
            case 1 -> w.float32(2, (Float) a.value());
            case 2 -> w.int64(3, (Long) a.value());
            case 3 -> w.bytes(4, ((String) a.value()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            case 4 -> w.message(5, tensor((Tensor) a.value()));
            case 6 -> {
                for (float f : (float[]) a.value()) {
                    w.float32(7, f);
                }
            }
            case 7 -> {
                for (long i : (long[]) a.value()) {
                    w.int64(8, i);
                }
            }
            default -> throw new IllegalArgumentException("unsupported attribute type " + a.type());
        }
        w.int64(20, a.type());
        return w;
    }

    private static ProtoWriter valueInfo(OnnxGraph.ValueInfo v) {
        ProtoWriter shape = new ProtoWriter();
        for (Object d : v.dims()) {
            ProtoWriter dim = new ProtoWriter();
            if (d instanceof Long n) {
                dim.int64(1, n);
            } else {
                dim.string(2, (String) d);
            }
            shape.message(1, dim);
        }
        ProtoWriter tensorType = new ProtoWriter().int64(1, v.type().onnxCode()).message(2, shape);
        ProtoWriter type = new ProtoWriter().message(1, tensorType);
        return new ProtoWriter().string(1, v.name()).message(2, type);
    }
}
