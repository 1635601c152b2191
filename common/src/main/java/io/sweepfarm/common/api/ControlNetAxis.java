package io.sweepfarm.common.api;

import java.util.List;

/**
 * One ControlNet of a sweep with its control image and three axes ({@code controlnets[i].scales},
 * {@code controlnets[i].guidance_start}, {@code controlnets[i].guidance_end} in a zip group).
 *
 * @param model         the ControlNet's folder name in the workers' ControlNet folder
 * @param image         the control image: a key from {@code POST /api/v1/inputs}
 * @param scales        conditioning scales (A1111's "Weight"); default {@code [1]}
 * @param guidanceStart fractions of the steps before which it is off; default {@code [0]}
 * @param guidanceEnd   fractions of the steps after which it is off again; default {@code [1]}
 */
public record ControlNetAxis(String model, String image, List<Double> scales, List<Double> guidanceStart,
        List<Double> guidanceEnd) {
}
