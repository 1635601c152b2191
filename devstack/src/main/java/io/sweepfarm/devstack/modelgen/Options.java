package io.sweepfarm.devstack.modelgen;

/**
 * What {@link TinyStableDiffusion} generates. {@link #defaults()} is the tiny model (a 64x64 image in
 * 10 steps with classifier-free guidance takes a few milliseconds on one core); {@link #bench()}
 * widens the U-Net so that one step takes tens to hundreds of milliseconds. Variants mirror real
 * exporters:
 *
 * @param textHidden        text encoder width (CLIP-L: 768); also the U-Net cross-attention width
 * @param unetChannels      U-Net feature channels
 * @param unetBlocks        number of (resnet + cross-attention) blocks in the U-Net
 * @param vaeChannels       VAE decoder/encoder feature channels
 * @param inputIds          dtype of the text encoder's {@code input_ids}
 * @param timestep          type and shape of the U-Net's {@code timestep}
 * @param externalData      where large weights go
 * @param vaeEncoder        whether and how the VAE encoder is exported
 * @param inpainting        U-Net with 9 input channels (latents, mask, masked-image latents)
 * @param float16           fp16 weights and fp16 float inputs/outputs, as {@code --fp16} exports
 * @param prediction        the scheduler's {@code prediction_type}
 * @param timestepSpacing   the scheduler's {@code timestep_spacing} (leading, trailing, linspace)
 * @param seed              weight seed; same options and seed give identical files
 * @param family            SD 1.x/2.x, SDXL base or SDXL refiner layout
 * @param depth             SD 2 depth U-Net: 5 input channels (latents + depth map)
 * @param controlNet        U-Net exported with ControlNet residual inputs (down-block and mid-block residuals)
 */
public record Options(int textHidden, int unetChannels, int unetBlocks, int vaeChannels, InputIds inputIds,
                      Timestep timestep, ExternalData externalData, VaeEncoder vaeEncoder, boolean inpainting,
                      boolean float16, Prediction prediction, String timestepSpacing, long seed, Family family,
                      boolean depth, boolean controlNet) {

    /**
     * Model family. SDXL: a second, projecting text encoder ({@code text_encoder_2/}, {@code tokenizer_2/}), U-Net
     * inputs {@code text_embeds} and {@code time_ids} [B, 6], VAE scaling 0.13025, Euler scheduler. The refiner has
     * only the second encoder and {@code time_ids} [B, 5] (sizes and aesthetic score).
     */
    public enum Family { SD, SDXL, SDXL_REFINER }

    /** {@code input_ids} dtype: int32 (diffusers' conversion script) or int64 (optimum). */
    public enum InputIds { INT32, INT64 }

    /** U-Net {@code timestep}: float [batch] (diffusers script), float scalar [] (newer optimum), int64 [batch] (old exports). */
    public enum Timestep { FLOAT_BATCH, FLOAT_SCALAR, INT64_BATCH }

    /** VAE encoder export: none, {@code latent_sample} [B,4,h,w] (older exporters) or {@code latent_parameters} [B,8,h,w] = mean and logvar (optimum 1.23+). */
    public enum VaeEncoder { NONE, LATENT_SAMPLE, LATENT_PARAMETERS }

    /** Scheduler {@code prediction_type}. */
    public enum Prediction {
        EPSILON("epsilon"), V_PREDICTION("v_prediction");

        private final String configValue;

        Prediction(String configValue) {
            this.configValue = configValue;
        }

        public String configValue() {
            return configValue;
        }
    }

    public Options {
        if (textHidden < 4 || unetChannels < 4 || vaeChannels < 4 || unetBlocks < 1) {
            throw new IllegalArgumentException("sizes too small: " + textHidden + "/" + unetChannels + "/" + vaeChannels);
        }
        if ((inpainting ? 1 : 0) + (depth ? 1 : 0) + (controlNet ? 1 : 0) > 1) {
            throw new IllegalArgumentException("inpainting, depth and ControlNet U-Nets are separate variants");
        }
        if (!timestepSpacing.equals("leading") && !timestepSpacing.equals("trailing")
                && !timestepSpacing.equals("linspace")) {
            throw new IllegalArgumentException("timestep_spacing must be leading, trailing or linspace: " + timestepSpacing);
        }
    }

    /** The tiny default: diffusers-script style (int32 ids, float [B] timestep, inline weights, latent_sample encoder). */
    public static Options defaults() {
        return builder().build();
    }

    /**
     * A wider U-Net for benchmarks (192 channels, 4 blocks). One step, batch 1, one CPU thread, measured
     * on a busy 2-core machine: about 5 ms at 8x8 latents (64 px), 60 ms at 32x32 (256 px), 240 ms at
     * 64x64 (512 px). Cost grows with the square of {@code unetChannels} and linearly with
     * {@code unetBlocks} and the latent area.
     */
    public static Options bench() {
        return builder().unetChannels(192).unetBlocks(4).textHidden(64).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.textHidden = textHidden;
        b.unetChannels = unetChannels;
        b.unetBlocks = unetBlocks;
        b.vaeChannels = vaeChannels;
        b.inputIds = inputIds;
        b.timestep = timestep;
        b.externalData = externalData;
        b.vaeEncoder = vaeEncoder;
        b.inpainting = inpainting;
        b.float16 = float16;
        b.prediction = prediction;
        b.timestepSpacing = timestepSpacing;
        b.seed = seed;
        b.family = family;
        b.depth = depth;
        b.controlNet = controlNet;
        return b;
    }

    /** U-Net input channels: 9 for inpainting, 5 for depth, else 4. */
    public int unetInChannels() {
        return inpainting ? 9 : depth ? 5 : 4;
    }

    /** True for SDXL base and refiner. */
    public boolean sdxl() {
        return family != Family.SD;
    }

    /** Width of the second (OpenCLIP bigG-like) text encoder of SDXL, and of its {@code text_embeds}. */
    public int text2Hidden() {
        return textHidden * 3 / 2;
    }

    /** Width of the U-Net's {@code encoder_hidden_states}: both encoders concatenated for SDXL base. */
    public int crossAttentionDim() {
        return switch (family) {
            case SD -> textHidden;
            case SDXL -> textHidden + text2Hidden();
            case SDXL_REFINER -> text2Hidden();
        };
    }

    /** Entries of the U-Net's {@code time_ids}: 6 for SDXL base, 5 for the refiner, none otherwise. */
    public int timeIds() {
        return switch (family) {
            case SD -> 0;
            case SDXL -> 6;
            case SDXL_REFINER -> 5;
        };
    }

    /** Down-block residuals a ControlNet feeds this U-Net: one after conv_in and one per block. */
    public int controlNetResiduals() {
        return 1 + unetBlocks;
    }

    /** Builder starting from the tiny defaults. */
    public static final class Builder {
        private int textHidden = 32;
        private int unetChannels = 16;
        private int unetBlocks = 1;
        private int vaeChannels = 8;
        private InputIds inputIds = InputIds.INT32;
        private Timestep timestep = Timestep.FLOAT_BATCH;
        private ExternalData externalData = ExternalData.NONE;
        private VaeEncoder vaeEncoder = VaeEncoder.LATENT_SAMPLE;
        private boolean inpainting;
        private boolean float16;
        private Prediction prediction = Prediction.EPSILON;
        private String timestepSpacing = "leading";
        private long seed = 42;
        private Family family = Family.SD;
        private boolean depth;
        private boolean controlNet;

        public Builder textHidden(int v) { textHidden = v; return this; }
        public Builder unetChannels(int v) { unetChannels = v; return this; }
        public Builder unetBlocks(int v) { unetBlocks = v; return this; }
        public Builder vaeChannels(int v) { vaeChannels = v; return this; }
        public Builder inputIds(InputIds v) { inputIds = v; return this; }
        public Builder timestep(Timestep v) { timestep = v; return this; }
        public Builder externalData(ExternalData v) { externalData = v; return this; }
        public Builder vaeEncoder(VaeEncoder v) { vaeEncoder = v; return this; }
        public Builder inpainting(boolean v) { inpainting = v; return this; }
        public Builder float16(boolean v) { float16 = v; return this; }
        public Builder prediction(Prediction v) { prediction = v; return this; }
        public Builder timestepSpacing(String v) { timestepSpacing = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder family(Family v) { family = v; return this; }
        public Builder depth(boolean v) { depth = v; return this; }
        public Builder controlNet(boolean v) { controlNet = v; return this; }

        public Options build() {
            return new Options(textHidden, unetChannels, unetBlocks, vaeChannels, inputIds, timestep, externalData,
                    vaeEncoder, inpainting, float16, prediction, timestepSpacing, seed, family, depth, controlNet);
        }
    }
}
