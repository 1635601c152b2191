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
 * A Stable Diffusion 1.x/2.x ONNX model folder as diffusers' conversion script or optimum exports it,
 * loaded once:
 *
 * <pre>
 * model_index.json
 * tokenizer/vocab.json, tokenizer/merges.txt
 * text_encoder/model.onnx, unet/model.onnx, vae_decoder/model.onnx, [vae_encoder/model.onnx]
 * scheduler/scheduler_config.json
 * </pre>
 *
 * External weights ({@code weights.pb}, {@code model.onnx_data}) are found by ONNX Runtime next to
 * each model. The VAE scaling factor comes from {@code vae_decoder/config.json} (optimum writes one)
 * and defaults to 0.18215. Owns the four wrappers; {@link #close()} closes them all. The wrappers are
 * thread-safe (each serializes its calls).
 */
public final class StableDiffusionModel implements AutoCloseable {

    /** SD 1.x/2.x VAE scaling factor when the folder does not say otherwise. */
    public static final float DEFAULT_VAE_SCALING_FACTOR = 0.18215f;
    /** Latent channels of SD 1.x/2.x VAEs. */
    public static final int LATENT_CHANNELS = 4;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final TextEncoder textEncoder;
    private final UNet unet;
    private final VaeDecoder vaeDecoder;
    private final VaeEncoder vaeEncoder;
    private final float vaeScalingFactor;
    private final int unetInChannels;
    private final int hiddenSize;

    private StableDiffusionModel(Path directory, TextEncoder textEncoder, UNet unet, VaeDecoder vaeDecoder,
                                 VaeEncoder vaeEncoder, float vaeScalingFactor, int unetInChannels, int hiddenSize) {
        this.directory = directory;
        this.textEncoder = textEncoder;
        this.unet = unet;
        this.vaeDecoder = vaeDecoder;
        this.vaeEncoder = vaeEncoder;
        this.vaeScalingFactor = vaeScalingFactor;
        this.unetInChannels = unetInChannels;
        this.hiddenSize = hiddenSize;
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
        for (String required : List.of("model_index.json", "tokenizer/vocab.json", "tokenizer/merges.txt",
                "scheduler/scheduler_config.json", "text_encoder/model.onnx", "unet/model.onnx",
                "vae_decoder/model.onnx")) {
            if (!Files.isRegularFile(dir.resolve(required))) {
                throw new ModelLoadException(required + ": missing in model folder " + dir);
            }
        }
        readJson(dir, "model_index.json");
        float scaling = DEFAULT_VAE_SCALING_FACTOR;
        if (Files.isRegularFile(dir.resolve("vae_decoder/config.json"))) {
            JsonNode factor = readJson(dir, "vae_decoder/config.json").get("scaling_factor");
            if (factor != null && factor.isNumber()) {
                scaling = factor.floatValue();
            }
        }
        JsonNode unetConfig = Files.isRegularFile(dir.resolve("unet/config.json"))
                ? readJson(dir, "unet/config.json") : null;

        List<AutoCloseable> opened = new ArrayList<>();
        try {
            TextEncoder text = add(opened, new TextEncoder(factory, dir.resolve("text_encoder/model.onnx"),
                    "text_encoder/model.onnx"));
            UNet unet = add(opened, new UNet(factory, dir.resolve("unet/model.onnx"), "unet/model.onnx"));
            VaeDecoder decoder = add(opened, new VaeDecoder(factory, dir.resolve("vae_decoder/model.onnx"),
                    "vae_decoder/model.onnx"));
            VaeEncoder encoder = Files.isRegularFile(dir.resolve("vae_encoder/model.onnx"))
                    ? add(opened, new VaeEncoder(factory, dir.resolve("vae_encoder/model.onnx"), "vae_encoder/model.onnx"))
                    : null;
            int inChannels = unet.inChannels() > 0 ? unet.inChannels()
                    : unetConfig != null && unetConfig.path("in_channels").isInt() ? unetConfig.get("in_channels").asInt()
                    : LATENT_CHANNELS;
            int hidden = text.hiddenSize() > 0 ? text.hiddenSize() : unet.hiddenSize();
            if (text.hiddenSize() > 0 && unet.hiddenSize() > 0 && text.hiddenSize() != unet.hiddenSize()) {
                throw new ModelLoadException("unet/model.onnx: input 'encoder_hidden_states' has width "
                        + unet.hiddenSize() + ", but text_encoder/model.onnx outputs " + text.hiddenSize());
            }
            return new StableDiffusionModel(dir, text, unet, decoder, encoder, scaling, inChannels, hidden);
        } catch (RuntimeException e) {
            for (AutoCloseable c : opened) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
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

    public TextEncoder textEncoder() {
        return textEncoder;
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

    public Path tokenizerDirectory() {
        return directory.resolve("tokenizer");
    }

    public Path vocabFile() {
        return directory.resolve("tokenizer/vocab.json");
    }

    public Path mergesFile() {
        return directory.resolve("tokenizer/merges.txt");
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

    /** U-Net input channels: 4, or 9 for inpainting models. */
    public int unetInChannels() {
        return unetInChannels;
    }

    public boolean isInpainting() {
        return unetInChannels == 9;
    }

    /** Width of the text hidden states (768 for SD 1.x, 1024 for SD 2.x), or -1 if no model declares it. */
    public int hiddenSize() {
        return hiddenSize;
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (AutoCloseable c : new AutoCloseable[] {vaeEncoder, vaeDecoder, unet, textEncoder}) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
