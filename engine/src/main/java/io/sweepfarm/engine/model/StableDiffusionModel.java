package io.sweepfarm.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Stable Diffusion ONNX model folder as diffusers' conversion script or optimum exports it, loaded once:
 *
 * <pre>
 * model_index.json
 * tokenizer/vocab.json, tokenizer/merges.txt                 (not in SDXL refiners)
 * text_encoder/model.onnx                                    (not in SDXL refiners)
 * tokenizer_2/, text_encoder_2/model.onnx                    (SDXL base and refiner)
 * unet/model.onnx, vae_decoder/model.onnx, [vae_encoder/model.onnx]
 * scheduler/scheduler_config.json
 * </pre>
 *
 * The {@link Family} follows from the folders: a second text encoder makes it SDXL, without the first it is SDXL's
 * refiner. External weights ({@code weights.pb}, {@code model.onnx_data}) are found by ONNX Runtime next to each
 * model. The VAE scaling factor comes from {@code vae_decoder/config.json} (optimum writes one) and defaults to
 * 0.18215 (SDXL: 0.13025). {@code model_index.json}'s {@code force_zeros_for_empty_prompt} and
 * {@code requires_aesthetics_score} keep diffusers' defaults when absent (on for SDXL, off for the refiner's
 * aesthetics unless set). Owns the wrappers; {@link #close()} closes them all. The wrappers are thread-safe (each
 * serializes its calls).
 */
public final class StableDiffusionModel implements AutoCloseable {

    /** SD 1.x/2.x VAE scaling factor when the folder does not say otherwise. */
    public static final float DEFAULT_VAE_SCALING_FACTOR = 0.18215f;
    /** SDXL's VAE scaling factor when the folder does not say otherwise. */
    public static final float SDXL_VAE_SCALING_FACTOR = 0.13025f;
    /** Latent channels of SD and SDXL VAEs. */
    public static final int LATENT_CHANNELS = 4;

    /** Which Stable Diffusion a folder holds. */
    public enum Family {
        /** SD 1.x/2.x: one CLIP text encoder, {@code last_hidden_state}. */
        SD,
        /** SDXL base: two text encoders (penultimate layers concatenated), pooled {@code text_embeds}, 6 time ids. */
        SDXL,
        /** SDXL refiner: the second text encoder only, 5 time ids with an aesthetic score. */
        SDXL_REFINER
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final Family family;
    private final TextEncoder textEncoder;
    private final TextEncoder textEncoder2;
    private final UNet unet;
    private final VaeDecoder vaeDecoder;
    private final VaeEncoder vaeEncoder;
    private final float vaeScalingFactor;
    private final int unetInChannels;
    private final int hiddenSize;
    private final boolean forceZerosForEmptyPrompt;
    private final boolean requiresAestheticsScore;

    private StableDiffusionModel(Path directory, Family family, TextEncoder textEncoder, TextEncoder textEncoder2,
            UNet unet, VaeDecoder vaeDecoder, VaeEncoder vaeEncoder, float vaeScalingFactor, int unetInChannels,
            int hiddenSize, boolean forceZerosForEmptyPrompt, boolean requiresAestheticsScore) {
        this.directory = directory;
        this.family = family;
        this.textEncoder = textEncoder;
        this.textEncoder2 = textEncoder2;
        this.unet = unet;
        this.vaeDecoder = vaeDecoder;
        this.vaeEncoder = vaeEncoder;
        this.vaeScalingFactor = vaeScalingFactor;
        this.unetInChannels = unetInChannels;
        this.hiddenSize = hiddenSize;
        this.forceZerosForEmptyPrompt = forceZerosForEmptyPrompt;
        this.requiresAestheticsScore = requiresAestheticsScore;
    }

    /**
     * Loads the folder with sessions from {@code factory}. Fails with {@link ModelLoadException}
     * naming the missing or wrong file (and tensor), or {@link DeviceUnavailableException}.
     */
    public static StableDiffusionModel load(Path directory, SessionFactory factory) {
        Path dir = directory.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new ModelLoadException(dir + ": model folder not found");
        }
        boolean second = Files.isRegularFile(dir.resolve("text_encoder_2/model.onnx"));
        boolean first = Files.isRegularFile(dir.resolve("text_encoder/model.onnx"));
        Family family = !second ? Family.SD : first ? Family.SDXL : Family.SDXL_REFINER;
        List<String> required = new ArrayList<>(List.of("model_index.json", "scheduler/scheduler_config.json",
                "unet/model.onnx", "vae_decoder/model.onnx"));
        if (family != Family.SDXL_REFINER) {
            required.addAll(List.of("tokenizer/vocab.json", "tokenizer/merges.txt", "text_encoder/model.onnx"));
        }
        if (family != Family.SD) {
            required.addAll(List.of("tokenizer_2/vocab.json", "tokenizer_2/merges.txt"));
        }
        for (String file : required) {
            if (!Files.isRegularFile(dir.resolve(file))) {
                throw new ModelLoadException(file + ": missing in model folder " + dir);
            }
        }
        JsonNode index = readJson(dir, "model_index.json");
        float scaling = family == Family.SD ? DEFAULT_VAE_SCALING_FACTOR : SDXL_VAE_SCALING_FACTOR;
        if (Files.isRegularFile(dir.resolve("vae_decoder/config.json"))) {
            JsonNode factor = readJson(dir, "vae_decoder/config.json").get("scaling_factor");
            if (factor != null && factor.isNumber()) {
                scaling = factor.floatValue();
            }
        }
        JsonNode unetConfig = Files.isRegularFile(dir.resolve("unet/config.json"))
                ? readJson(dir, "unet/config.json") : null;
        boolean forceZeros = index.path("force_zeros_for_empty_prompt").asBoolean(family != Family.SD);
        boolean aesthetics = index.path("requires_aesthetics_score").asBoolean(false);

        List<AutoCloseable> opened = new ArrayList<>();
        try {
            TextEncoder text = family == Family.SDXL_REFINER ? null : add(opened, new TextEncoder(factory,
                    dir.resolve("text_encoder/model.onnx"), "text_encoder/model.onnx"));
            TextEncoder text2 = family == Family.SD ? null : add(opened, new TextEncoder(factory,
                    dir.resolve("text_encoder_2/model.onnx"), "text_encoder_2/model.onnx"));
            UNet unet = add(opened, new UNet(factory, dir.resolve("unet/model.onnx"), "unet/model.onnx"));
            VaeDecoder decoder = add(opened, new VaeDecoder(factory, dir.resolve("vae_decoder/model.onnx"),
                    "vae_decoder/model.onnx"));
            VaeEncoder encoder = Files.isRegularFile(dir.resolve("vae_encoder/model.onnx"))
                    ? add(opened, new VaeEncoder(factory, dir.resolve("vae_encoder/model.onnx"), "vae_encoder/model.onnx"))
                    : null;
            int inChannels = unet.inChannels() > 0 ? unet.inChannels()
                    : unetConfig != null && unetConfig.path("in_channels").isInt() ? unetConfig.get("in_channels").asInt()
                    : LATENT_CHANNELS;
            int hidden = checkText(family, text, text2, unet);
            return new StableDiffusionModel(dir, family, text, text2, unet, decoder, encoder, scaling, inChannels,
                    hidden, forceZeros, aesthetics);
        } catch (RuntimeException e) {
            throw Closeables.closeAfter(e, opened);
        }
    }

    /** Checks that the text encoders fit the U-Net; returns the width of its text conditioning (-1 if unknown). */
    private static int checkText(Family family, TextEncoder text, TextEncoder text2, UNet unet) {
        if (family != Family.SD) {
            if (!unet.takesAddedConditions()) {
                throw new ModelLoadException("unet/model.onnx: an SDXL folder (it has text_encoder_2/) needs a U-Net "
                        + "with text_embeds and time_ids inputs");
            }
            for (TextEncoder t : family == Family.SDXL ? List.of(text, text2) : List.of(text2)) {
                if (!t.exportsHiddenStates()) {
                    throw new ModelLoadException(t.label() + ": SDXL needs the hidden states of every layer "
                            + "(outputs hidden_states.0 ... hidden_states.N), as optimum exports them");
                }
            }
            if (text2.pooledSize() == 0) {
                throw new ModelLoadException("text_encoder_2/model.onnx: SDXL needs the pooled text_embeds output");
            }
            int expectedIds = family == Family.SDXL ? 6 : 5;
            if (unet.timeIdsWidth() > 0 && unet.timeIdsWidth() != expectedIds) {
                throw new ModelLoadException("unet/model.onnx: input 'time_ids' has " + unet.timeIdsWidth()
                        + " entries, expected " + expectedIds + " for " + (family == Family.SDXL ? "an SDXL base"
                        : "an SDXL refiner (no text_encoder/)"));
            }
        } else if (unet.takesAddedConditions()) {
            throw new ModelLoadException("unet/model.onnx takes SDXL's text_embeds and time_ids, but the folder has "
                    + "no text_encoder_2/");
        }
        int width = family == Family.SD ? text.hiddenSize()
                : family == Family.SDXL ? (text.hiddenSize() > 0 && text2.hiddenSize() > 0
                ? text.hiddenSize() + text2.hiddenSize() : -1)
                : text2.hiddenSize();
        if (width > 0 && unet.hiddenSize() > 0 && width != unet.hiddenSize()) {
            throw new ModelLoadException("unet/model.onnx: input 'encoder_hidden_states' has width "
                    + unet.hiddenSize() + ", but the text encoder" + (family == Family.SDXL ? "s give " : " gives ")
                    + width);
        }
        return width > 0 ? width : unet.hiddenSize();
    }

    private static <T extends AutoCloseable> T add(List<AutoCloseable> opened, T model) {
        opened.add(model);
        return model;
    }

    private static JsonNode readJson(Path dir, String relative) {
        try {
            return JSON.readTree(dir.resolve(relative).toFile());
        } catch (IOException e) {
            throw new ModelLoadException(relative + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    public Path directory() {
        return directory;
    }

    public Family family() {
        return family;
    }

    /** The (first) CLIP text encoder; null for SDXL refiners. */
    public TextEncoder textEncoder() {
        return textEncoder;
    }

    /** SDXL's second, projecting text encoder; null for SD 1.x/2.x. */
    public TextEncoder textEncoder2() {
        return textEncoder2;
    }

    /** diffusers' {@code force_zeros_for_empty_prompt}: an empty negative prompt conditions on zeros (SDXL). */
    public boolean forceZerosForEmptyPrompt() {
        return forceZerosForEmptyPrompt;
    }

    /** diffusers' {@code requires_aesthetics_score}: the refiner's time ids end in an aesthetic score. */
    public boolean requiresAestheticsScore() {
        return requiresAestheticsScore || family == Family.SDXL_REFINER;
    }

    public UNet unet() {
        return unet;
    }

    public VaeDecoder vaeDecoder() {
        return vaeDecoder;
    }

    /** The VAE encoder, for img2img and inpainting; absent when the folder has none. */
    public Optional<VaeEncoder> vaeEncoder() {
        return Optional.ofNullable(vaeEncoder);
    }

    public Path schedulerConfig() {
        return directory.resolve("scheduler/scheduler_config.json");
    }

    /** Multiply encoder latents by this; divide denoised latents by it before decoding. */
    public float vaeScalingFactor() {
        return vaeScalingFactor;
    }

    public int latentChannels() {
        return LATENT_CHANNELS;
    }

    /** U-Net input channels: 4, 5 for depth models, 9 for inpainting models. */
    public int unetInChannels() {
        return unetInChannels;
    }

    public boolean isInpainting() {
        return unetInChannels == 9;
    }

    /** SD 2 depth-to-image U-Nets take the depth map as a fifth channel. */
    public boolean isDepth() {
        return unetInChannels == 5;
    }

    /** Width of the U-Net's text conditioning (768 SD 1.x, 1024 SD 2.x, 2048 SDXL, 1280 refiner), -1 if undeclared. */
    public int hiddenSize() {
        return hiddenSize;
    }

    @Override
    public void close() {
        Closeables.closeAll(vaeEncoder, vaeDecoder, unet, textEncoder2, textEncoder);
    }
}
