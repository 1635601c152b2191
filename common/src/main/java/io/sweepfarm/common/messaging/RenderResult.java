package io.sweepfarm.common.messaging;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What a worker reports for one task, published to {@link Topics#RESULTS} after the PNG is stored and before the
 * task's offset is committed. Keyed by {@code imageId}; the coordinator applies it idempotently.
 *
 * @param imageId      the image
 * @param sweepId      its sweep
 * @param attempt      the attempt the worker rendered
 * @param outcome      success, a failure that retrying will not fix, or a skip because the sweep was paused or
 *                     cancelled
 * @param objectKey    where the PNG is (on success)
 * @param sha256       hex SHA-256 of the PNG bytes (on success)
 * @param worker       worker id and lane, e.g. {@code host-1/cuda:0}
 * @param renderMillis wall time of the render, without queueing
 * @param warnings     non-fatal remarks to record on the image (e.g. prompt truncated)
 * @param error        operator-readable reason (on failure)
 * @param finishedAt   when the worker finished
 */
public record RenderResult(
        UUID imageId,
        UUID sweepId,
        int attempt,
        Outcome outcome,
        String objectKey,
        String sha256,
        String worker,
        long renderMillis,
        List<String> warnings,
        String error,
        Instant finishedAt) {

    public enum Outcome {
        /** Rendered and stored. */
        SUCCEEDED,
        /** Cannot be rendered as given; {@code error} says why. */
        FAILED,
        /** Not rendered because its sweep was cancelled. */
        CANCELLED,
        /** Not rendered because its sweep is paused: release it again when the sweep resumes. */
        DEFERRED
    }
}
