package io.sweepfarm.common.api;

import java.util.List;

/**
 * AUTOMATIC1111's hires fix for every image of a sweep, with two axes ({@code hires.scales} and
 * {@code hires.strengths} in a zip group).
 *
 * @param scales    upscale factors of the second pass, in (1, 8]
 * @param strengths its denoising strengths, in (0, 1]; default {@code [0.7]} (A1111's)
 * @param upscaler  {@code latent} (default), {@code latent_nearest} or {@code lanczos}, or A1111's names
 *                  ({@code "Latent (nearest)"})
 * @param steps     second-pass steps; 0 (default) for as many as the first pass
 */
public record HiresAxes(List<Double> scales, List<Double> strengths, String upscaler, Integer steps) {
}
