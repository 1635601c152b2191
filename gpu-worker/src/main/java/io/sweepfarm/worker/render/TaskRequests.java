package io.sweepfarm.worker.render;

import io.sweepfarm.common.image.ControlNetUse;
import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.engine.ControlNetUnit;
import io.sweepfarm.engine.HiresFix;
import io.sweepfarm.engine.ImageRequest;
import io.sweepfarm.engine.LoraWeight;
import io.sweepfarm.engine.Refiner;
import io.sweepfarm.engine.scheduler.SamplerType;
import io.sweepfarm.engine.tokenizer.PromptOverflow;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
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
     * @param inputs decoded inputs by object key: every key of {@link ImageParameters#inputKeys()} (init image, mask,
     *               depth map, control images)
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
        try {
            ImageRequest.Builder b = ImageRequest.builder().prompt(t.prompt()).negativePrompt(t.negativePrompt())
                    .cfgScale(t.cfgScale()).steps(t.steps()).sampler(sampler).seed(t.seed())
                    .size(t.width(), t.height()).noiseSource(t.noiseSource()).promptMode(mode)
                    .initImage(input(inputs, t.initImage()), t.strength()).mask(input(inputs, t.mask()))
                    .depthMap(input(inputs, t.depthMap()))
                    .loras(t.loras().stream().map(l -> new LoraWeight(l.name(), l.scale())).toList())
                    .controlNets(controlNets(t.controlnets(), inputs));
            if (t.hiresScale() != null) {
                if (t.hiresStrength() == null) {
                    return new Mapped(null, "the task has a hires scale but no hires strength");
                }
                b.hires(new HiresFix(t.hiresScale(), t.hiresStrength(), upscaler(t.hiresUpscaler()),
                        t.hiresSteps() == null ? 0 : t.hiresSteps()));
            }
            if (t.refinerSwitchAt() != null) {
                b.refiner(new Refiner(t.refinerSwitchAt()));
            }
            return new Mapped(b.build(), null);
        } catch (IllegalArgumentException e) {
            return new Mapped(null, e.getMessage());
        }
    }

    private static BufferedImage input(Map<String, BufferedImage> inputs, String key) {
        return key == null ? null : inputs.get(key);
    }

    private static List<ControlNetUnit> controlNets(List<ControlNetUse> units, Map<String, BufferedImage> inputs) {
        return units.stream().map(u -> new ControlNetUnit(u.model(), inputs.get(u.image()), u.scale(),
                u.guidanceStart(), u.guidanceEnd())).toList();
    }

    private static HiresFix.Upscaler upscaler(String id) {
        try {
            return HiresFix.Upscaler.valueOf(String.valueOf(id).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown hires upscaler '" + id + "'; this worker knows: "
                    + List.of(HiresFix.Upscaler.values()).stream().map(u -> u.name().toLowerCase(Locale.ROOT))
                            .toList());
        }
    }
}
