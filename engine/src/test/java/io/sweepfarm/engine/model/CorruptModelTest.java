package io.sweepfarm.engine.model;

import io.sweepfarm.devstack.modelgen.DataType;
import io.sweepfarm.devstack.modelgen.ExternalData;
import io.sweepfarm.devstack.modelgen.OnnxGraph;
import io.sweepfarm.devstack.modelgen.OnnxModelWriter;
import io.sweepfarm.devstack.modelgen.Options;
import io.sweepfarm.devstack.modelgen.TinyStableDiffusion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Wrong models fail at load with a message naming the file and the tensor. */
class CorruptModelTest {

    private static final SessionFactory CPU = SessionFactory.cpu(1);

    @TempDir
    Path dir;

    @BeforeEach
    void generate() throws IOException {
        TinyStableDiffusion.generate(dir, Options.defaults());
    }

    @Test
    void a_unet_sample_of_rank_3_is_refused() throws IOException {
        OnnxGraph g = new OnnxGraph("unet");
        g.input("sample", DataType.FLOAT, "batch", 4, "height");
        g.input("timestep", DataType.FLOAT, "batch");
        g.input("encoder_hidden_states", DataType.FLOAT, "batch", "sequence", 32);
        g.node("Identity", List.of("sample"), List.of("out_sample"), List.of());
        g.output("out_sample", DataType.FLOAT, "batch", 4, "height");
        OnnxModelWriter.write(dir.resolve("unet/model.onnx"), g, ExternalData.NONE);

        assertThatThrownBy(() -> StableDiffusionModel.load(dir, CPU))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage("unet/model.onnx: input 'sample' has rank 3, expected 4 [batch, channels, height, width]");
    }

    @Test
    void a_unet_without_encoder_hidden_states_is_refused() throws IOException {
        OnnxGraph g = new OnnxGraph("unet");
        g.input("sample", DataType.FLOAT, "batch", 4, "height", "width");
        g.input("timestep", DataType.FLOAT, "batch");
        g.node("Identity", List.of("sample"), List.of("out_sample"), List.of());
        g.output("out_sample", DataType.FLOAT, "batch", 4, "height", "width");
        OnnxModelWriter.write(dir.resolve("unet/model.onnx"), g, ExternalData.NONE);

        assertThatThrownBy(() -> StableDiffusionModel.load(dir, CPU))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith("unet/model.onnx: input 'encoder_hidden_states' is missing");
    }

    @Test
    void a_unet_with_a_double_timestep_is_refused() throws IOException {
        OnnxGraph g = new OnnxGraph("unet");
        g.input("sample", DataType.FLOAT, "batch", 4, "height", "width");
        g.input("timestep", DataType.BOOL, "batch");
        g.input("encoder_hidden_states", DataType.FLOAT, "batch", "sequence", 32);
        g.node("Identity", List.of("sample"), List.of("out_sample"), List.of());
        g.output("out_sample", DataType.FLOAT, "batch", 4, "height", "width");
        OnnxModelWriter.write(dir.resolve("unet/model.onnx"), g, ExternalData.NONE);

        assertThatThrownBy(() -> StableDiffusionModel.load(dir, CPU))
                .hasMessage("unet/model.onnx: input 'timestep' has type BOOL, expected float32, float16, int64 or int32");
    }

    @Test
    void float_token_ids_are_refused() throws IOException {
        OnnxGraph g = new OnnxGraph("text_encoder");
        g.input("input_ids", DataType.FLOAT, "batch", "sequence");
        g.node("Unsqueeze", List.of("input_ids", g.int64s("axes", 2)), List.of("last_hidden_state"), List.of());
        g.output("last_hidden_state", DataType.FLOAT, "batch", "sequence", 1);
        OnnxModelWriter.write(dir.resolve("text_encoder/model.onnx"), g, ExternalData.NONE);

        assertThatThrownBy(() -> StableDiffusionModel.load(dir, CPU))
                .hasMessage("text_encoder/model.onnx: input 'input_ids' has type FLOAT, expected int32 or int64");
    }

    @Test
    void a_vae_decoder_with_four_output_channels_is_refused() throws IOException {
        OnnxGraph g = new OnnxGraph("vae_decoder");
        g.input("latent_sample", DataType.FLOAT, "batch", 4, "height", "width");
        g.node("Identity", List.of("latent_sample"), List.of("sample"), List.of());
        g.output("sample", DataType.FLOAT, "batch", 4, "height", "width");
        OnnxModelWriter.write(dir.resolve("vae_decoder/model.onnx"), g, ExternalData.NONE);

        assertThatThrownBy(() -> StableDiffusionModel.load(dir, CPU))
                .hasMessageStartingWith("vae_decoder/model.onnx: output 'sample' has 4 channels (axis 1), expected 3");
    }

    @Test
    void a_truncated_model_file_is_refused_with_its_name() throws IOException {
        byte[] bytes = Files.readAllBytes(dir.resolve("unet/model.onnx"));
        Files.write(dir.resolve("unet/model.onnx"), java.util.Arrays.copyOf(bytes, bytes.length / 3));

        assertThatThrownBy(() -> StableDiffusionModel.load(dir, CPU))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith("unet/model.onnx: ONNX Runtime cannot load it");
    }

    @Test
    void missing_folder_parts_are_named() throws IOException {
        Files.delete(dir.resolve("scheduler/scheduler_config.json"));

        assertThatThrownBy(() -> StableDiffusionModel.load(dir, CPU))
                .hasMessageStartingWith("scheduler/scheduler_config.json: missing in model folder");
    }

    @Test
    void an_unreadable_vae_config_is_named() throws IOException {
        Files.writeString(dir.resolve("vae_decoder/config.json"), "{ not json");

        assertThatThrownBy(() -> StableDiffusionModel.load(dir, CPU))
                .hasMessageStartingWith("vae_decoder/config.json: not valid JSON");
    }
}
