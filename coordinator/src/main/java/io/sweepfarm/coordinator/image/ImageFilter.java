package io.sweepfarm.coordinator.image;

import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.sampler.SamplerId;
import io.sweepfarm.coordinator.problem.ProblemException;
import java.util.Locale;
import java.util.UUID;

/** The exact-match filters of {@code GET /api/v1/images}; a null field does not filter. */
public record ImageFilter(UUID sweepId, String prompt, String negativePrompt, Double cfgScale, Integer steps,
        String sampler, Long seed, Integer width, Integer height, ImageState state) {

    /** Parses raw query parameters; a bad value is a 400 problem naming the parameter. */
    public static ImageFilter parse(String sweepId, String prompt, String negativePrompt, String cfgScale,
            String steps, String sampler, String seed, String width, String height, String state) {
        String samplerId = null;
        if (sampler != null) {
            samplerId = SamplerId.fromId(sampler).map(SamplerId::id).orElseThrow(() -> new ProblemException.Malformed(
                    "sampler", "unknown sampler '" + sampler + "'; valid ids: " + SamplerId.allIds()));
        }
        ImageState imageState = null;
        if (state != null) {
            try {
                imageState = ImageState.valueOf(state.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ProblemException.Malformed("state", "unknown state '" + state + "'; valid: "
                        + java.util.Arrays.toString(ImageState.values()));
            }
        }
        return new ImageFilter(QueryParams.uuid("sweep_id", sweepId), prompt, negativePrompt,
                QueryParams.finite("cfg_scale", cfgScale), QueryParams.integer("steps", steps), samplerId,
                QueryParams.longValue("seed", seed), QueryParams.integer("width", width),
                QueryParams.integer("height", height), imageState);
    }
}
