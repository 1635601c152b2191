package io.sweepfarm.common.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.sweepfarm.common.image.ImageParameters;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One image with every parameter that made it (flat in JSON), its state, and where to download it once it exists.
 *
 * @param id           the image's id
 * @param sweepId      its sweep
 * @param ordinal      its position in the sweep
 * @param params       every parameter that made it
 * @param state        where it stands
 * @param attempts     how many times it was released to workers
 * @param objectKey    the PNG's object key, once rendered
 * @param sha256       the PNG's SHA-256 (hex), once rendered
 * @param downloadUrl  where the PNG can be downloaded (404 until it is rendered)
 * @param worker       the worker lane that rendered it
 * @param renderMillis the render's wall time
 * @param warnings     non-fatal remarks (e.g. prompt truncated)
 * @param error        why it failed
 * @param completedAt  when it reached its final state
 */
public record ImageView(
        UUID id,
        UUID sweepId,
        long ordinal,
        @JsonUnwrapped ImageParameters params,
        ImageState state,
        int attempts,
        String objectKey,
        String sha256,
        String downloadUrl,
        String worker,
        Long renderMillis,
        List<String> warnings,
        String error,
        Instant completedAt) {
}
