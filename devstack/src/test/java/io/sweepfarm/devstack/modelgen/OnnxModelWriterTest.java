package io.sweepfarm.devstack.modelgen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Field numbers checked here are those of onnx/onnx onnx/onnx.proto. */
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

    @Test
    void a_model_carries_ir_version_opset_and_the_graph() throws IOException {
        OnnxModelWriter.write(dir.resolve("model.onnx"), smallGraph(), ExternalData.NONE);

        Proto model = Proto.parse(Files.readAllBytes(dir.resolve("model.onnx")));
        assertThat(model.varint(1)).isEqualTo(OnnxModelWriter.IR_VERSION);
        Proto opset = model.message(8);
        assertThat(opset.string(1)).isEmpty();
        assertThat(opset.varint(2)).isEqualTo(17);
        Proto graph = model.message(7);
        assertThat(graph.string(2)).isEqualTo("demo");
        assertThat(graph.messages(1)).extracting(n -> n.string(4)).containsExactly("MatMul", "Add", "Softmax");
        Proto softmax = graph.messages(1).get(2);
        assertThat(softmax.strings(2)).containsExactly("y");
        Proto axis = softmax.message(5);
        assertThat(axis.string(1)).isEqualTo("axis");
        assertThat(axis.varint(20)).isEqualTo(2); // AttributeType.INT
        assertThat(axis.varint(3)).isEqualTo(-1L);
    }

    @Test
    void inputs_have_symbolic_and_fixed_dimensions() throws IOException {
        OnnxModelWriter.write(dir.resolve("model.onnx"), smallGraph(), ExternalData.NONE);

        Proto input = Proto.parse(Files.readAllBytes(dir.resolve("model.onnx"))).message(7).message(11);
        assertThat(input.string(1)).isEqualTo("x");
        Proto tensorType = input.message(2).message(1);
        assertThat(tensorType.varint(1)).isEqualTo(1); // FLOAT
        List<Proto> dims = tensorType.message(2).messages(1);
        assertThat(dims.get(0).string(2)).isEqualTo("batch");
        assertThat(dims.get(1).varint(1)).isEqualTo(4);
    }

    @Test
    void a_scalar_input_has_an_empty_shape_rather_than_none() throws IOException {
        OnnxGraph g = new OnnxGraph("scalar");
        g.input("t", DataType.FLOAT);
        g.node("Identity", List.of("t"), List.of("u"), List.of());
        g.output("u", DataType.FLOAT);
        OnnxModelWriter.write(dir.resolve("model.onnx"), g, ExternalData.NONE);

        Proto tensorType = Proto.parse(Files.readAllBytes(dir.resolve("model.onnx"))).message(7).message(11)
                .message(2).message(1);
        assertThat(tensorType.has(2)).isTrue();
        assertThat(tensorType.message(2).has(1)).isFalse();
    }

    @Test
    void inline_initializers_keep_their_bytes_in_raw_data() throws IOException {
        OnnxModelWriter.write(dir.resolve("model.onnx"), smallGraph(), ExternalData.NONE);

        Proto w = Proto.parse(Files.readAllBytes(dir.resolve("model.onnx"))).message(7).messages(5).get(0);
        assertThat(w.string(8)).isEqualTo("w");
        assertThat(w.varints(1)).containsExactly(4L, 300L);
        assertThat(w.varint(2)).isEqualTo(1);
        assertThat(w.bytes(9)).hasSize(4800);
        assertThat(w.has(14)).isFalse();
    }

    @Test
    void large_initializers_go_to_the_external_file_and_small_ones_stay_inline() throws IOException {
        OnnxModelWriter.write(dir.resolve("model.onnx"), smallGraph(), ExternalData.MODEL_ONNX_DATA);

        List<Proto> inits = Proto.parse(Files.readAllBytes(dir.resolve("model.onnx"))).message(7).messages(5);
        Proto w = inits.get(0);
        assertThat(w.has(9)).isFalse();
        assertThat(w.varint(14)).isEqualTo(1); // DataLocation.EXTERNAL
        List<Proto> entries = w.messages(13);
        assertThat(entries).extracting(e -> e.string(1)).containsExactly("location", "offset", "length");
        assertThat(entries).extracting(e -> e.string(2)).containsExactly("model.onnx_data", "0", "4800");
        Proto b = inits.get(1);
        assertThat(b.varint(14)).isEqualTo(1);
        long offset = Long.parseLong(b.messages(13).get(1).string(2));
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
