package io.sweepfarm.devstack.modelgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweepfarm.onnx.GraphProto;
import io.sweepfarm.onnx.ModelProto;
import io.sweepfarm.onnx.NodeProto;
import io.sweepfarm.onnx.TensorProto;
import io.sweepfarm.onnx.ValueInfoProto;
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

        GraphProto graph = graph(dir.resolve("unet/model.onnx"));
        List<ValueInfoProto> inputs = graph.getInputList();
        assertThat(inputs).extracting(ValueInfoProto::getName)
                .containsExactly("sample", "timestep", "encoder_hidden_states");
        assertThat(inputs.get(0).getType().getTensorType().getShape().getDim(1).getDimValue()).isEqualTo(9);
        assertThat(inputs.get(1).getType().getTensorType().getElemType())
                .isEqualTo(TensorProto.DataType.INT64_VALUE);
        assertThat(graph.getOutputList()).extracting(ValueInfoProto::getName).containsExactly("out_sample");
        assertThat(graph.getNodeList()).extracting(NodeProto::getOpType).contains("Sin", "Cos", "Conv", "Softmax");
    }

    @Test
    void fp16_models_store_float16_weights_and_float16_inputs() throws IOException {
        TinyStableDiffusion.generate(dir, Options.builder().float16(true).build());

        GraphProto graph = graph(dir.resolve("unet/model.onnx"));
        assertThat(graph.getInitializerList()).filteredOn(t -> t.getName().equals("conv_in.weight"))
                .singleElement().satisfies(t -> assertThat(t.getDataType())
                        .isEqualTo(TensorProto.DataType.FLOAT16_VALUE));
        assertThat(graph.getInput(0).getType().getTensorType().getElemType())
                .isEqualTo(TensorProto.DataType.FLOAT16_VALUE);
    }

    @Test
    void the_encoder_output_follows_the_variant() throws IOException {
        TinyStableDiffusion.generate(dir, Options.builder().vaeEncoder(Options.VaeEncoder.LATENT_PARAMETERS).build());
        assertThat(graph(dir.resolve("vae_encoder/model.onnx")).getOutput(0).getName())
                .isEqualTo("latent_parameters");

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

    static GraphProto graph(Path modelFile) throws IOException {
        return ModelProto.parseFrom(Files.readAllBytes(modelFile)).getGraph();
    }
}
