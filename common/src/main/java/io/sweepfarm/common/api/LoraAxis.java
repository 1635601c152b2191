package io.sweepfarm.common.api;

import java.util.List;

/**
 * One LoRA of a sweep and the scales it is swept over: an axis of its own ({@code loras[i]} in a zip group).
 *
 * @param name   the LoRA's file name without {@code .safetensors} in the workers' LoRA folder
 * @param scales the scales to render it at; 0 renders without it
 */
public record LoraAxis(String name, List<Double> scales) {
}
