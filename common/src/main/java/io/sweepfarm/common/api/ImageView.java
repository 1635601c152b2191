package io.sweepfarm.common.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One image with every parameter that made it, its state, and where to download it once it exists. */
public record ImageView(
        UUID id,
        UUID sweepId,
        long ordinal,
        String model,
        String prompt,
        String negativePrompt,
        double cfgScale,
        int steps,
        String sampler,
        long seed,
        int width,
        int height,
        String noiseSource,
        String initImage,
        Double strength,
        String mask,
        ImageState state,
        int attempts,
        String objectKey,
        String downloadUrl,
        String worker,
        Long renderMillis,
        List<String> warnings,
        String error,
        Instant completedAt) {
}
