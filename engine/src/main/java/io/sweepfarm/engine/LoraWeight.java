package io.sweepfarm.engine;

/**
 * A LoRA applied to the model's weights: {@code W + scale · (alpha / rank) · up · down} for every weight the file
 * targets, in the U-Net and the text encoder(s), as A1111's {@code <lora:name:scale>} does.
 *
 * @param name  the file's name without {@code .safetensors}, looked up in the engine's LoRA folder
 * @param scale strength; 1 applies the LoRA as trained, 0 leaves the weights as they are
 */
public record LoraWeight(String name, double scale) {

    public LoraWeight {
        if (name == null || name.isBlank() || name.contains("/") || name.contains("\\") || name.contains("..")) {
            throw new IllegalArgumentException("a LoRA name is a file name without folders, got '" + name + "'");
        }
        if (!Double.isFinite(scale)) {
            throw new IllegalArgumentException("LoRA scale must be finite, got " + scale);
        }
    }
}
