package io.sweepfarm.worker.lane;

import io.sweepfarm.common.api.PromptOverflow;
import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.storage.ObjectKeys;
import java.util.UUID;

/** Test tasks. */
final class Tasks {

    private Tasks() {
    }

    /** A small, quick txt2img task (64×48, 2 steps of euler_a) seeded by its ordinal. */
    static RenderTask aTask(String model, UUID sweep, long ordinal) {
        UUID id = UUID.randomUUID();
        return new RenderTask(id, sweep, ordinal, 1, new ImageParameters(model, "a red fox", "blurry", 7.5, 2,
                "euler_a", ordinal, 64, 48, "torch_cpu", PromptOverflow.TRUNCATE, null, null, null),
                ObjectKeys.image(sweep, ordinal, id));
    }

    /** {@code t} with other parameters or another object key. */
    static RenderTask with(RenderTask t, ImageParameters params, String outputKey) {
        return new RenderTask(t.imageId(), t.sweepId(), t.ordinal(), t.attempt(), params, outputKey);
    }
}
