package io.sweepfarm.common.messaging;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.sweepfarm.common.image.ImageParameters;
import java.util.UUID;

/**
 * Everything a worker needs to render one image; workers never read the coordinator's database. Keyed in Kafka by
 * {@code imageId}. A task may be delivered more than once; the worker's writes are idempotent (same object key, same
 * bytes) and the coordinator records one result per image. On the wire the parameters are flat fields of the task.
 *
 * @param imageId   the image's id (see {@link io.sweepfarm.common.image.ImageIds})
 * @param sweepId   the sweep it belongs to
 * @param ordinal   position of the image in its sweep's expansion (0-based)
 * @param attempt   1 for the first release, incremented on each re-release
 * @param params    what to render
 * @param outputKey object key the PNG must be written to
 */
public record RenderTask(
        UUID imageId,
        UUID sweepId,
        long ordinal,
        int attempt,
        @JsonUnwrapped ImageParameters params,
        String outputKey) {

    /** The parameters that must be equal for two tasks to share one batched U-Net call. */
    public ImageParameters.BatchKey batchKey() {
        return params.batchKey();
    }

    /** The task's model (selects the topic). */
    public String model() {
        return params.model();
    }
}
