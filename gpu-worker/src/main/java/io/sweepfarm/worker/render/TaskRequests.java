package io.sweepfarm.worker.render;

import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.engine.ImageRequest;
import io.sweepfarm.engine.scheduler.SamplerType;
import io.sweepfarm.engine.tokenizer.PromptOverflow;
import java.awt.image.BufferedImage;
import java.util.Map;

/**
 * Adapts a {@link RenderTask} (the wire format) into an engine {@link ImageRequest}. The only place that reads a
 * task's image parameters for rendering; what the engine then renders is recorded from the request, never re-derived
 * from the task.
 */
public final class TaskRequests {

    private TaskRequests() {
    }

    /** A request, or why the task cannot become one (an operator-readable reason). */
    public record Mapped(ImageRequest request, String rejection) {
    }

    /**
     * @param inputs decoded init images and masks by object key
     */
    public static Mapped toRequest(RenderTask task, Map<String, BufferedImage> inputs) {
        ImageParameters t = task.params();
        SamplerType sampler = SamplerType.fromId(t.sampler()).orElse(null);
        if (sampler == null) {
            return new Mapped(null, "unknown sampler '" + t.sampler() + "'; this worker knows: "
                    + SamplerType.allIds());
        }
        PromptOverflow mode = t.promptOverflow() == null ? PromptOverflow.TRUNCATE
                : PromptOverflow.valueOf(t.promptOverflow().name());
        BufferedImage init = t.initImage() == null ? null : inputs.get(t.initImage());
        BufferedImage mask = t.mask() == null ? null : inputs.get(t.mask());
        try {
            return new Mapped(ImageRequest.builder().prompt(t.prompt()).negativePrompt(t.negativePrompt())
                    .cfgScale(t.cfgScale()).steps(t.steps()).sampler(sampler).seed(t.seed()).size(t.width(), t.height())
                    .noiseSource(t.noiseSource()).promptMode(mode).initImage(init, t.strength()).mask(mask).build(),
                    null);
        } catch (IllegalArgumentException e) {
            return new Mapped(null, e.getMessage());
        }
    }
}
