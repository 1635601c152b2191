package io.sweepfarm.devstack.modelgen;

import io.sweepfarm.onnx.AttributeProto;
import io.sweepfarm.onnx.GraphProto;
import io.sweepfarm.onnx.ModelProto;
import io.sweepfarm.onnx.NodeProto;
import io.sweepfarm.onnx.StringStringEntryProto;
import io.sweepfarm.onnx.TensorProto;
import io.sweepfarm.onnx.TypeProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads the written models back with the protoc-generated ONNX classes. */
class OnnxModelWriterTest {

    @TempDir
    Path dir;

    private static OnnxGraph smallGraph() {
        OnnxGraph g = new OnnxGraph("demo");
        g.input("x", DataType.FLOAT, "batch", 4);
        String w = g.initializer(Tensor.floats("w", DataType.FLOAT, new long[] {4, 300}, new float[1200]));
        String b = g.initializer(Tensor.floats("b", DataType.FLOAT, new long[] {300}, new float[300]));
        String y = g.op("Add", g.op("MatMul", "x", w), b);
        g.node("Softmax", List.of(y), List.of("y"), List.of(Attr.i("axis", -1)));
        g.output("y", DataType.FLOAT, "batch", 300);
        return g;
    }

    private ModelProto read() throws IOException {
        return ModelProto.parseFrom(Files.readAllBytes(dir.resolve("model.onnx")));
    }

    @Test
    void a_model_carries_ir_version_opset_and_the_graph() throws IOException {
        OnnxModelWriter.write(dir.resolve("model.onnx"), smallGraph(), ExternalData.NONE);

        ModelProto model = read();
        assertThat(model.getIrVersion()).isEqualTo(OnnxModelWriter.IR_VERSION);
        assertThat(model.getOpsetImport(0).getDomain()).isEmpty();
        assertThat(model.getOpsetImport(0).getVersion()).isEqualTo(17);
        GraphProto graph = model.getGraph();
        assertThat(graph.getName()).isEqualTo("demo");
        assertThat(graph.getNodeList()).extracting(NodeProto::getOpType).containsExactly("MatMul", "Add", "Softmax");
        NodeProto softmax = graph.getNode(2);
        assertThat(softmax.getOutputList()).containsExactly("y");
        AttributeProto axis = softmax.getAttribute(0);
        assertThat(axis.getName()).isEqualTo("axis");
        assertThat(axis.getType()).isEqualTo(AttributeProto.AttributeType.INT);
        assertThat(axis.getI()).isEqualTo(-1L);
    }

    @Test
    void inputs_have_symbolic_and_fixed_dimensions() throws IOException {
        OnnxModelWriter.write(dir.resolve("model.onnx"), smallGraph(), ExternalData.NONE);

        var input = read().getGraph().getInput(0);
        assertThat(input.getName()).isEqualTo("x");
        TypeProto.Tensor tensorType = input.getType().getTensorType();
        assertThat(tensorType.getElemType()).isEqualTo(TensorProto.DataType.FLOAT_VALUE);
        assertThat(tensorType.getShape().getDim(0).getDimParam()).isEqualTo("batch");
        assertThat(tensorType.getShape().getDim(1).getDimValue()).isEqualTo(4);
    }

    @Test
    void a_scalar_input_has_an_empty_shape_rather_than_none() throws IOException {
        OnnxGraph g = new OnnxGraph("scalar");
        g.input("t", DataType.FLOAT);
        g.node("Identity", List.of("t"), List.of("u"), List.of());
        g.output("u", DataType.FLOAT);
        OnnxModelWriter.write(dir.resolve("model.onnx"), g, ExternalData.NONE);

        TypeProto.Tensor tensorType = read().getGraph().getInput(0).getType().getTensorType();
        assertThat(tensorType.hasShape()).isTrue();
        assertThat(tensorType.getShape().getDimCount()).isZero();
    }

    @Test
    void inline_initializers_keep_their_bytes_in_raw_data() throws IOException {
        OnnxModelWriter.write(dir.resolve("model.onnx"), smallGraph(), ExternalData.NONE);

        TensorProto w = read().getGraph().getInitializer(0);
        assertThat(w.getName()).isEqualTo("w");
        assertThat(w.getDimsList()).containsExactly(4L, 300L);
        assertThat(w.getDataType()).isEqualTo(TensorProto.DataType.FLOAT_VALUE);
        assertThat(w.getRawData().size()).isEqualTo(4800);
        assertThat(w.hasDataLocation()).isFalse();
    }

    @Test
    void large_initializers_go_to_the_external_file_and_small_ones_stay_inline() throws IOException {
        OnnxModelWriter.write(dir.resolve("model.onnx"), smallGraph(), ExternalData.MODEL_ONNX_DATA);

        List<TensorProto> inits = read().getGraph().getInitializerList();
        TensorProto w = inits.get(0);
        assertThat(w.hasRawData()).isFalse();
        assertThat(w.getDataLocation()).isEqualTo(TensorProto.DataLocation.EXTERNAL);
        assertThat(w.getExternalDataList()).extracting(StringStringEntryProto::getKey)
                .containsExactly("location", "offset", "length");
        assertThat(w.getExternalDataList()).extracting(StringStringEntryProto::getValue)
                .containsExactly("model.onnx_data", "0", "4800");
        TensorProto b = inits.get(1);
        assertThat(b.getDataLocation()).isEqualTo(TensorProto.DataLocation.EXTERNAL);
        long offset = Long.parseLong(b.getExternalData(1).getValue());
        assertThat(offset % 64).isZero();
        assertThat(Files.size(dir.resolve("model.onnx_data"))).isEqualTo(offset + 1200);
    }

    @Test
    void weights_pb_is_the_diffusers_script_file_name() throws IOException {
        OnnxModelWriter.write(dir.resolve("model.onnx"), smallGraph(), ExternalData.WEIGHTS_PB);

        assertThat(dir.resolve("weights.pb")).isNotEmptyFile();
        assertThat(dir.resolve("model.onnx_data")).doesNotExist();
    }
}
