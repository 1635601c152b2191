package io.sweepfarm.devstack.modelgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TinyStableDiffusionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void the_folder_has_the_diffusers_onnx_layout() throws IOException {
        TinyStableDiffusion.generate(dir, Options.defaults());

        for (String file : List.of("model_index.json", "tokenizer/vocab.json", "tokenizer/merges.txt",
                "tokenizer/tokenizer_config.json", "tokenizer/special_tokens_map.json", "text_encoder/model.onnx",
                "unet/model.onnx", "unet/config.json", "vae_decoder/model.onnx", "vae_decoder/config.json",
                "vae_encoder/model.onnx", "scheduler/scheduler_config.json")) {
            assertThat(dir.resolve(file)).as(file).isNotEmptyFile();
        }
        JsonNode index = JSON.readTree(dir.resolve("model_index.json").toFile());
        assertThat(index.get("_class_name").asText()).isEqualTo("OnnxStableDiffusionPipeline");
        assertThat(index.get("unet").get(1).asText()).isEqualTo("OnnxRuntimeModel");
        assertThat(index.get("tokenizer").get(1).asText()).isEqualTo("CLIPTokenizer");
        assertThat(JSON.readTree(dir.resolve("vae_decoder/config.json").toFile()).get("scaling_factor").asDouble())
                .isEqualTo(0.18215);
    }

    @Test
    void the_scheduler_config_is_sd15_pndm() throws IOException {
        TinyStableDiffusion.generate(dir, Options.defaults());

        // values of runwayml/stable-diffusion-v1-5 scheduler/scheduler_config.json
        JsonNode s = JSON.readTree(dir.resolve("scheduler/scheduler_config.json").toFile());
        assertThat(s.get("_class_name").asText()).isEqualTo("PNDMScheduler");
        assertThat(s.get("beta_schedule").asText()).isEqualTo("scaled_linear");
        assertThat(s.get("beta_start").asDouble()).isEqualTo(0.00085);
        assertThat(s.get("beta_end").asDouble()).isEqualTo(0.012);
        assertThat(s.get("num_train_timesteps").asInt()).isEqualTo(1000);
        assertThat(s.get("steps_offset").asInt()).isEqualTo(1);
        assertThat(s.get("skip_prk_steps").asBoolean()).isTrue();
        assertThat(s.get("set_alpha_to_one").asBoolean()).isFalse();
        assertThat(s.get("clip_sample").asBoolean()).isFalse();
        assertThat(s.get("prediction_type").asText()).isEqualTo("epsilon");
        assertThat(s.get("timestep_spacing").asText()).isEqualTo("leading");
    }

    @Test
    void v_prediction_and_trailing_spacing_are_written_to_the_scheduler_config() throws IOException {
        TinyStableDiffusion.generate(dir, Options.builder().prediction(Options.Prediction.V_PREDICTION)
                .timestepSpacing("trailing").build());

        JsonNode s = JSON.readTree(dir.resolve("scheduler/scheduler_config.json").toFile());
        assertThat(s.get("prediction_type").asText()).isEqualTo("v_prediction");
        assertThat(s.get("timestep_spacing").asText()).isEqualTo("trailing");
    }

    @Test
    void the_same_options_give_the_same_bytes_and_another_seed_other_weights(@TempDir Path other,
                                                                            @TempDir Path reseeded) throws IOException {
        TinyStableDiffusion.generate(dir, Options.defaults());
        TinyStableDiffusion.generate(other, Options.defaults());
        TinyStableDiffusion.generate(reseeded, Options.builder().seed(7).build());

        assertThat(Files.readAllBytes(other.resolve("unet/model.onnx"))).isEqualTo(Files.readAllBytes(dir.resolve("unet/model.onnx")));
        assertThat(Files.readAllBytes(reseeded.resolve("unet/model.onnx"))).isNotEqualTo(Files.readAllBytes(dir.resolve("unet/model.onnx")));
    }

    @Test
    void the_unet_declares_the_sd_interface() throws IOException {
        TinyStableDiffusion.generate(dir, Options.builder().inpainting(true).timestep(Options.Timestep.INT64_BATCH).build());

        Proto graph = Proto.parse(Files.readAllBytes(dir.resolve("unet/model.onnx"))).message(7);
        List<Proto> inputs = graph.messages(11);
        assertThat(inputs).extracting(i -> i.string(1)).containsExactly("sample", "timestep", "encoder_hidden_states");
        Proto sampleType = inputs.get(0).message(2).message(1);
        assertThat(sampleType.message(2).messages(1).get(1).varint(1)).isEqualTo(9);
        assertThat(inputs.get(1).message(2).message(1).varint(1)).isEqualTo(7); // INT64
        assertThat(graph.messages(12)).extracting(o -> o.string(1)).containsExactly("out_sample");
        assertThat(graph.messages(1)).extracting(n -> n.string(4)).contains("Sin", "Cos", "Conv", "Softmax");
    }

    @Test
    void fp16_models_store_float16_weights_and_float16_inputs() throws IOException {
        TinyStableDiffusion.generate(dir, Options.builder().float16(true).build());

        Proto graph = Proto.parse(Files.readAllBytes(dir.resolve("unet/model.onnx"))).message(7);
        assertThat(graph.messages(5)).filteredOn(t -> t.string(8).equals("conv_in.weight"))
                .singleElement().satisfies(t -> assertThat(t.varint(2)).isEqualTo(10));
        assertThat(graph.messages(11).get(0).message(2).message(1).varint(1)).isEqualTo(10);
    }

    @Test
    void the_encoder_output_follows_the_variant() throws IOException {
        TinyStableDiffusion.generate(dir, Options.builder().vaeEncoder(Options.VaeEncoder.LATENT_PARAMETERS).build());
        Proto graph = Proto.parse(Files.readAllBytes(dir.resolve("vae_encoder/model.onnx"))).message(7);
        assertThat(graph.message(12).string(1)).isEqualTo("latent_parameters");

        TinyStableDiffusion.generate(dir.resolve("none"), Options.builder().vaeEncoder(Options.VaeEncoder.NONE).build());
        assertThat(dir.resolve("none/vae_encoder")).doesNotExist();
    }

    @Test
    void command_line_options_select_the_variants() {
        Options o = TinyStableDiffusion.parseArgs(List.of("--ids", "int64", "--timestep", "scalar", "--external",
                "model.onnx_data", "--vae-encoder", "latent_parameters", "--fp16", "--inpainting", "--seed", "9"));
        assertThat(o.inputIds()).isEqualTo(Options.InputIds.INT64);
        assertThat(o.timestep()).isEqualTo(Options.Timestep.FLOAT_SCALAR);
        assertThat(o.externalData()).isEqualTo(ExternalData.MODEL_ONNX_DATA);
        assertThat(o.vaeEncoder()).isEqualTo(Options.VaeEncoder.LATENT_PARAMETERS);
        assertThat(o.float16()).isTrue();
        assertThat(o.unetInChannels()).isEqualTo(9);
        assertThat(o.seed()).isEqualTo(9);
        assertThat(TinyStableDiffusion.parseArgs(List.of("--bench")).unetChannels()).isEqualTo(Options.bench().unetChannels());
        assertThatThrownBy(() -> TinyStableDiffusion.parseArgs(List.of("--frobnicate")))
                .hasMessageContaining("--frobnicate");
    }
}
