package io.sweepfarm.devstack.modelgen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates a complete Stable Diffusion ONNX model folder with tiny random weights, laid out as
 * diffusers' ONNX conversion and optimum's export lay it out:
 *
 * <pre>
 * model_index.json
 * tokenizer/{vocab.json, merges.txt, tokenizer_config.json, special_tokens_map.json}
 * text_encoder/{model.onnx, config.json}
 * unet/{model.onnx, config.json}          (+ weights.pb or model.onnx_data with external weights)
 * vae_decoder/{model.onnx, config.json}   (config.json carries scaling_factor, as optimum writes)
 * vae_encoder/{model.onnx, config.json}   (unless Options.vaeEncoder() is NONE)
 * scheduler/scheduler_config.json         (SD 1.5 PNDMScheduler)
 * </pre>
 *
 * SDXL ({@link Options.Family#SDXL}) adds {@code tokenizer_2/} (padding with {@code !}) and {@code text_encoder_2/}
 * (with {@code text_embeds}), both encoders exporting their hidden states, a U-Net taking {@code text_embeds} and
 * {@code time_ids}, VAE scaling 0.13025 and SDXL's Euler scheduler config; the refiner
 * ({@link Options.Family#SDXL_REFINER}) has only the second tokenizer and encoder. {@link #generateControlNet} writes
 * a ControlNet folder ({@code model.onnx}, {@code config.json}) for a U-Net generated with
 * {@link Options#controlNet()}.
 *
 * Output is a pure function of the options (same options, same bytes). Thread-safe (stateless).
 * From the command line: {@code TinyStableDiffusion <dir> [--bench] [--ids int32|int64]
 * [--timestep float|scalar|int64] [--external none|weights.pb|model.onnx_data]
 * [--vae-encoder none|latent_sample|latent_parameters] [--inpainting|--depth|--controlnet] [--sdxl|--refiner]
 * [--fp16] [--prediction epsilon|v_prediction] [--timestep-spacing leading|trailing|linspace] [--seed N]}; with
 * {@code --controlnet} a matching ControlNet is written to {@code <dir>/controlnet}.
 */
public final class TinyStableDiffusion {

    /** Merges learnt for the tokenizer; the corpus yields a few hundred. */
    static final int MAX_MERGES = 400;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TinyStableDiffusion() {
    }

    /** Writes the model folder into {@code dir} (created if missing; existing files are overwritten). */
    public static Path generate(Path dir, Options o) throws IOException {
        Files.createDirectories(dir);
        ClipVocabulary vocab = ClipVocabulary.build(MAX_MERGES);
        if (o.family() != Options.Family.SDXL_REFINER) {
            writeTokenizer(dir.resolve("tokenizer"), vocab, ClipVocabulary.END);
            boolean xl = o.family() == Options.Family.SDXL;
            OnnxModelWriter.write(dir.resolve("text_encoder/model.onnx"), TextEncoderGraph.build(o, vocab.size(),
                    o.textHidden(), xl ? 2 : 1, 0, xl, 0), o.externalData());
            json(dir.resolve("text_encoder/config.json"), textEncoderConfig(o, vocab, o.textHidden(), xl ? 2 : 1, 0));
        }
        if (o.sdxl()) {
            writeTokenizer(dir.resolve("tokenizer_2"), vocab, "!");
            OnnxModelWriter.write(dir.resolve("text_encoder_2/model.onnx"), TextEncoderGraph.build(o, vocab.size(),
                    o.text2Hidden(), 2, o.text2Hidden(), true, 5), o.externalData());
            json(dir.resolve("text_encoder_2/config.json"),
                    textEncoderConfig(o, vocab, o.text2Hidden(), 2, o.text2Hidden()));
        }
        OnnxModelWriter.write(dir.resolve("unet/model.onnx"), UNetGraph.build(o), o.externalData());
        json(dir.resolve("unet/config.json"), unetConfig(o));
        OnnxModelWriter.write(dir.resolve("vae_decoder/model.onnx"), VaeGraphs.decoder(o), o.externalData());
        json(dir.resolve("vae_decoder/config.json"), vaeConfig(o));
        if (o.vaeEncoder() != Options.VaeEncoder.NONE) {
            OnnxModelWriter.write(dir.resolve("vae_encoder/model.onnx"), VaeGraphs.encoder(o), o.externalData());
            json(dir.resolve("vae_encoder/config.json"), vaeConfig(o));
        }
        Files.createDirectories(dir.resolve("scheduler"));
        json(dir.resolve("scheduler/scheduler_config.json"), schedulerConfig(o));
        json(dir.resolve("model_index.json"), modelIndex(o));
        return dir;
    }

    /**
     * Writes a ControlNet model folder into {@code dir} ({@code model.onnx}, {@code config.json}) matching the U-Net
     * that {@code o} (with {@link Options#controlNet()}) describes; {@code o.seed()} picks its weights.
     */
    public static Path generateControlNet(Path dir, Options o) throws IOException {
        Files.createDirectories(dir);
        OnnxModelWriter.write(dir.resolve("model.onnx"), ControlNetGraph.build(o), o.externalData());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("_class_name", "ControlNetModel");
        m.put("in_channels", 4);
        m.put("conditioning_channels", 3);
        m.put("cross_attention_dim", o.crossAttentionDim());
        m.put("block_out_channels", java.util.Collections.nCopies(o.unetBlocks(), o.unetChannels()));
        json(dir.resolve("config.json"), m);
        return dir;
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0 || args[0].startsWith("--")) {
            System.err.println("usage: TinyStableDiffusion <dir> [--bench] [--ids int32|int64] "
                    + "[--timestep float|scalar|int64] [--external none|weights.pb|model.onnx_data] "
                    + "[--vae-encoder none|latent_sample|latent_parameters] [--inpainting|--depth|--controlnet] "
                    + "[--sdxl|--refiner] [--fp16] "
                    + "[--prediction epsilon|v_prediction] [--timestep-spacing leading|trailing|linspace] [--seed N]");
            System.exit(2);
        }
        Options o = parseArgs(List.of(args).subList(1, args.length));
        Path dir = generate(Path.of(args[0]), o);
        if (o.controlNet()) {
            generateControlNet(dir.resolve("controlnet"), o);
        }
        System.out.println("wrote " + dir.toAbsolutePath() + " with " + o);
    }

    static Options parseArgs(List<String> args) {
        Options.Builder b = args.contains("--bench") ? Options.bench().toBuilder() : Options.builder();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--bench" -> { }
                case "--inpainting" -> b.inpainting(true);
                case "--depth" -> b.depth(true);
                case "--controlnet" -> b.controlNet(true);
                case "--sdxl" -> b.family(Options.Family.SDXL);
                case "--refiner" -> b.family(Options.Family.SDXL_REFINER);
                case "--fp16" -> b.float16(true);
                case "--ids" -> b.inputIds(Options.InputIds.valueOf(args.get(++i).toUpperCase()));
                case "--timestep" -> b.timestep(switch (args.get(++i)) {
                    case "float" -> Options.Timestep.FLOAT_BATCH;
                    case "scalar" -> Options.Timestep.FLOAT_SCALAR;
                    case "int64" -> Options.Timestep.INT64_BATCH;
                    default -> throw new IllegalArgumentException("--timestep float|scalar|int64");
                });
                case "--external" -> b.externalData(switch (args.get(++i)) {
                    case "none" -> ExternalData.NONE;
                    case "weights.pb" -> ExternalData.WEIGHTS_PB;
                    case "model.onnx_data" -> ExternalData.MODEL_ONNX_DATA;
                    default -> throw new IllegalArgumentException("--external none|weights.pb|model.onnx_data");
                });
                case "--vae-encoder" -> b.vaeEncoder(Options.VaeEncoder.valueOf(args.get(++i).toUpperCase()));
                case "--prediction" -> b.prediction(Options.Prediction.valueOf(args.get(++i).toUpperCase()));
                case "--timestep-spacing" -> b.timestepSpacing(args.get(++i));
                case "--seed" -> b.seed(Long.parseLong(args.get(++i)));
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        return b.build();
    }

    /** @param pad {@code <|endoftext|>} for CLIP ViT-L, {@code !} for SDXL's OpenCLIP bigG tokenizer */
    private static void writeTokenizer(Path dir, ClipVocabulary vocab, String pad) throws IOException {
        Files.createDirectories(dir);
        json(dir.resolve("vocab.json"), vocab.vocab());
        Files.writeString(dir.resolve("merges.txt"), vocab.mergesText(), StandardCharsets.UTF_8);
        Map<String, Object> special = new LinkedHashMap<>();
        special.put("bos_token", ClipVocabulary.START);
        special.put("eos_token", ClipVocabulary.END);
        special.put("pad_token", pad);
        special.put("unk_token", ClipVocabulary.END);
        json(dir.resolve("special_tokens_map.json"), special);
        Map<String, Object> config = new LinkedHashMap<>(special);
        config.put("add_prefix_space", false);
        config.put("do_lower_case", true);
        config.put("errors", "replace");
        config.put("model_max_length", TextEncoderGraph.MAX_POSITIONS);
        config.put("tokenizer_class", "CLIPTokenizer");
        json(dir.resolve("tokenizer_config.json"), config);
    }

    private static Map<String, Object> modelIndex(Options o) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (o.sdxl()) {
            return sdxlModelIndex(o);
        }
        m.put("_class_name", o.inpainting() ? "OnnxStableDiffusionInpaintPipeline"
                : o.depth() ? "StableDiffusionDepth2ImgPipeline" : "OnnxStableDiffusionPipeline");
        m.put("_diffusers_version", "0.30.0");
        m.put("feature_extractor", nulls());
        m.put("requires_safety_checker", false);
        m.put("safety_checker", nulls());
        m.put("scheduler", List.of("diffusers", "PNDMScheduler"));
        m.put("text_encoder", List.of("diffusers", "OnnxRuntimeModel"));
        m.put("tokenizer", List.of("transformers", "CLIPTokenizer"));
        m.put("unet", List.of("diffusers", "OnnxRuntimeModel"));
        m.put("vae_decoder", List.of("diffusers", "OnnxRuntimeModel"));
        m.put("vae_encoder", o.vaeEncoder() == Options.VaeEncoder.NONE ? nulls() : List.of("diffusers", "OnnxRuntimeModel"));
        return m;
    }

    /** As diffusers saves SDXL pipelines (and optimum keeps): the refiner is an img2img pipeline with aesthetics. */
    private static Map<String, Object> sdxlModelIndex(Options o) {
        boolean refiner = o.family() == Options.Family.SDXL_REFINER;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("_class_name", refiner ? "StableDiffusionXLImg2ImgPipeline" : "StableDiffusionXLPipeline");
        m.put("_diffusers_version", "0.30.0");
        m.put("force_zeros_for_empty_prompt", !refiner);
        if (refiner) {
            m.put("requires_aesthetics_score", true);
        }
        m.put("scheduler", List.of("diffusers", "EulerDiscreteScheduler"));
        m.put("text_encoder", refiner ? nulls() : List.of("transformers", "CLIPTextModel"));
        m.put("text_encoder_2", List.of("transformers", "CLIPTextModelWithProjection"));
        m.put("tokenizer", refiner ? nulls() : List.of("transformers", "CLIPTokenizer"));
        m.put("tokenizer_2", List.of("transformers", "CLIPTokenizer"));
        m.put("unet", List.of("diffusers", "UNet2DConditionModel"));
        m.put("vae", List.of("diffusers", "AutoencoderKL"));
        return m;
    }

    private static List<Object> nulls() {
        return java.util.Arrays.asList(null, null);
    }

    /** SD 1.5's PNDM config, or SDXL's Euler config (stabilityai/stable-diffusion-xl-base-1.0). */
    private static Map<String, Object> schedulerConfig(Options o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("_class_name", o.sdxl() ? "EulerDiscreteScheduler" : "PNDMScheduler");
        m.put("_diffusers_version", "0.30.0");
        m.put("beta_end", 0.012);
        m.put("beta_schedule", "scaled_linear");
        m.put("beta_start", 0.00085);
        m.put("clip_sample", false);
        m.put("num_train_timesteps", 1000);
        m.put("prediction_type", o.prediction().configValue());
        m.put("set_alpha_to_one", false);
        m.put("skip_prk_steps", true);
        m.put("steps_offset", 1);
        m.put("timestep_spacing", o.timestepSpacing());
        m.put("trained_betas", null);
        if (o.sdxl()) {
            m.put("interpolation_type", "linear");
            m.put("sample_max_value", 1.0);
            m.put("use_karras_sigmas", false);
        }
        return m;
    }

    private static Map<String, Object> textEncoderConfig(Options o, ClipVocabulary vocab, int hidden, int layers,
            int projection) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architectures", List.of(projection > 0 ? "CLIPTextModelWithProjection" : "CLIPTextModel"));
        m.put("model_type", "clip_text_model");
        m.put("hidden_act", "quick_gelu");
        m.put("hidden_size", hidden);
        m.put("intermediate_size", 4 * hidden);
        m.put("max_position_embeddings", TextEncoderGraph.MAX_POSITIONS);
        m.put("num_attention_heads", 1);
        m.put("num_hidden_layers", layers);
        if (projection > 0) {
            m.put("projection_dim", projection);
        }
        m.put("vocab_size", vocab.size());
        m.put("bos_token_id", vocab.size() - 2);
        m.put("eos_token_id", vocab.size() - 1);
        m.put("pad_token_id", vocab.size() - 1);
        m.put("torch_dtype", o.float16() ? "float16" : "float32");
        return m;
    }

    private static Map<String, Object> unetConfig(Options o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("_class_name", "UNet2DConditionModel");
        m.put("in_channels", o.unetInChannels());
        m.put("out_channels", 4);
        m.put("cross_attention_dim", o.crossAttentionDim());
        if (o.sdxl()) {
            m.put("addition_embed_type", "text_time");
            m.put("addition_time_embed_dim", 2 * UNetGraph.TIME_ID_FREQS);
            m.put("projection_class_embeddings_input_dim", o.text2Hidden() + o.timeIds() * 2 * UNetGraph.TIME_ID_FREQS);
        }
        m.put("block_out_channels", java.util.Collections.nCopies(o.unetBlocks(), o.unetChannels()));
        m.put("sample_size", 8);
        m.put("flip_sin_to_cos", true);
        return m;
    }

    private static Map<String, Object> vaeConfig(Options o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("_class_name", "AutoencoderKL");
        m.put("in_channels", 3);
        m.put("out_channels", 3);
        m.put("latent_channels", 4);
        m.put("sample_size", 64);
        m.put("scaling_factor", o.sdxl() ? 0.13025 : 0.18215);
        return m;
    }

    private static void json(Path file, Object value) throws IOException {
        Files.createDirectories(file.getParent());
        JSON.writeValue(file.toFile(), value);
    }
}
