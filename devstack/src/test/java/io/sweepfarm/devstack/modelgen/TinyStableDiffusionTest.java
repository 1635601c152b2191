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

    @Test
    void an_sdxl_folder_has_the_optimum_sdxl_layout() throws IOException {
        TinyStableDiffusion.generate(dir, Options.builder().family(Options.Family.SDXL).build());

        JsonNode index = JSON.readTree(dir.resolve("model_index.json").toFile());
        assertThat(index.get("_class_name").asText()).isEqualTo("StableDiffusionXLPipeline");
        assertThat(index.get("force_zeros_for_empty_prompt").asBoolean()).isTrue();
        assertThat(JSON.readTree(dir.resolve("tokenizer_2/special_tokens_map.json").toFile()).get("pad_token")
                .asText()).isEqualTo("!");
        assertThat(JSON.readTree(dir.resolve("vae_decoder/config.json").toFile()).get("scaling_factor").asDouble())
                .isEqualTo(0.13025);
        JsonNode s = JSON.readTree(dir.resolve("scheduler/scheduler_config.json").toFile());
        assertThat(s.get("_class_name").asText()).isEqualTo("EulerDiscreteScheduler");
        assertThat(s.get("timestep_spacing").asText()).isEqualTo("leading");
        // optimum's CLIPTextModelWithProjection outputs, hidden states last
        assertThat(graph(dir.resolve("text_encoder_2/model.onnx")).getOutputList()).extracting(ValueInfoProto::getName)
                .containsExactly("text_embeds", "last_hidden_state", "hidden_states.0", "hidden_states.1",
                        "hidden_states.2");
        assertThat(graph(dir.resolve("text_encoder/model.onnx")).getOutputList()).extracting(ValueInfoProto::getName)
                .startsWith("last_hidden_state", "pooler_output", "hidden_states.0");
        GraphProto unet = graph(dir.resolve("unet/model.onnx"));
        assertThat(unet.getInputList()).extracting(ValueInfoProto::getName)
                .containsExactly("sample", "timestep", "encoder_hidden_states", "text_embeds", "time_ids");
        assertThat(unet.getInput(2).getType().getTensorType().getShape().getDim(2).getDimValue()).isEqualTo(80);
        assertThat(unet.getInput(4).getType().getTensorType().getShape().getDim(1).getDimValue()).isEqualTo(6);
    }

    @Test
    void the_refiner_has_only_the_second_encoder_and_five_time_ids() throws IOException {
        TinyStableDiffusion.generate(dir, Options.builder().family(Options.Family.SDXL_REFINER).build());

        assertThat(dir.resolve("text_encoder")).doesNotExist();
        assertThat(dir.resolve("text_encoder_2/model.onnx")).isNotEmptyFile();
        JsonNode index = JSON.readTree(dir.resolve("model_index.json").toFile());
        assertThat(index.get("requires_aesthetics_score").asBoolean()).isTrue();
        assertThat(index.get("force_zeros_for_empty_prompt").asBoolean()).isFalse();
        GraphProto unet = graph(dir.resolve("unet/model.onnx"));
        assertThat(unet.getInput(2).getType().getTensorType().getShape().getDim(2).getDimValue()).isEqualTo(48);
        assertThat(unet.getInput(4).getType().getTensorType().getShape().getDim(1).getDimValue()).isEqualTo(5);
    }

    @Test
    void linear_weights_lose_their_names_to_the_matmul_node_as_torch_onnx_exports_them() throws IOException {
        TinyStableDiffusion.generate(dir, Options.defaults());

        GraphProto unet = graph(dir.resolve("unet/model.onnx"));
        NodeProto toQ = unet.getNodeList().stream()
                .filter(n -> n.getName().equals("/down_blocks.0/attentions.0/attn2/to_q/MatMul")).findFirst()
                .orElseThrow();
        assertThat(toQ.getInput(1)).startsWith("onnx::MatMul_");
        assertThat(unet.getInitializerList()).extracting(TensorProto::getName).contains("conv_in.weight",
                "down_blocks.0.attentions.0.attn2.to_out.0.bias");
        assertThat(graph(dir.resolve("text_encoder/model.onnx")).getNodeList()).extracting(NodeProto::getName)
                .contains("/text_model/encoder/layers.0/self_attn/q_proj/MatMul");
    }

    @Test
    void a_depth_unet_takes_five_channels_and_a_controlnet_unet_takes_residuals() throws IOException {
        TinyStableDiffusion.generate(dir.resolve("depth"), Options.builder().depth(true).build());
        assertThat(graph(dir.resolve("depth/unet/model.onnx")).getInput(0).getType().getTensorType().getShape()
                .getDim(1).getDimValue()).isEqualTo(5);

        Options control = Options.builder().controlNet(true).unetBlocks(2).build();
        TinyStableDiffusion.generate(dir.resolve("cn"), control);
        TinyStableDiffusion.generateControlNet(dir.resolve("cn-net"), control);
        assertThat(graph(dir.resolve("cn/unet/model.onnx")).getInputList()).extracting(ValueInfoProto::getName)
                .containsExactly("sample", "timestep", "encoder_hidden_states", "down_block_additional_residual_0",
                        "down_block_additional_residual_1", "down_block_additional_residual_2",
                        "mid_block_additional_residual");
        GraphProto net = graph(dir.resolve("cn-net/model.onnx"));
        assertThat(net.getInputList()).extracting(ValueInfoProto::getName).containsExactly("sample", "timestep",
                "encoder_hidden_states", "controlnet_cond", "conditioning_scale");
        assertThat(net.getOutputList()).extracting(ValueInfoProto::getName).containsExactly(
                "down_block_res_sample_0", "down_block_res_sample_1", "down_block_res_sample_2",
                "mid_block_res_sample");
        assertThat(dir.resolve("cn-net/config.json")).isNotEmptyFile();
    }

    static GraphProto graph(Path modelFile) throws IOException {
        return ModelProto.parseFrom(Files.readAllBytes(modelFile)).getGraph();
    }
}
