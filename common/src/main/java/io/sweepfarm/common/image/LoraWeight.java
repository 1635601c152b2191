package io.sweepfarm.common.image;

import io.sweepfarm.common.png.InfoText;

/**
 * A LoRA applied to an image's model at a scale, as A1111's {@code <lora:name:scale>}.
 *
 * @param name  the LoRA's file name without {@code .safetensors}, in the worker's LoRA folder
 * @param scale its strength (never 0 in an image's parameters: a LoRA at 0 is not applied)
 */
public record LoraWeight(String name, double scale) implements Labelled {

    /** {@code name:scale}, as filters, grids and S3 metadata show it. */
    @Override
    public String label() {
        return name + ":" + InfoText.number(scale);
    }
}
