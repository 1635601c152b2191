package io.sweepfarm.worker.lane;

import io.sweepfarm.common.api.PromptOverflow;
import io.sweepfarm.common.image.ControlNetUse;
import io.sweepfarm.common.image.HiresUpscaler;
import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.common.image.LoraWeight;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.storage.ObjectKeys;
import java.util.List;
import java.util.UUID;

/**
 * Test tasks in the modes beyond txt2img: a fox (64×48, 4 euler steps, seed 7) on a model, with the mode's
 * parameters set by the {@code with…} methods, each returning a new builder.
 */
record ModeTask(String model, List<LoraWeight> loras, List<ControlNetUse> controlnets, Double hiresScale,
        Double hiresStrength, String initImage, Double strength, String depthMap, Double refinerSwitchAt) {

    static ModeTask aFox(String model) {
        return new ModeTask(model, List.of(), List.of(), null, null, null, null, null, null);
    }

    ModeTask withLoras(List<LoraWeight> l) {
        return new ModeTask(model, l, controlnets, hiresScale, hiresStrength, initImage, strength, depthMap,
                refinerSwitchAt);
    }

    ModeTask withControlNets(List<ControlNetUse> c) {
        return new ModeTask(model, loras, c, hiresScale, hiresStrength, initImage, strength, depthMap,
                refinerSwitchAt);
    }

    /** Hires fix with the latent upscaler and as many second-pass steps as the first. */
    ModeTask withHires(double scale, double denoising) {
        return new ModeTask(model, loras, controlnets, scale, denoising, initImage, strength, depthMap,
                refinerSwitchAt);
    }

    ModeTask withDepth(String init, double denoising, String map) {
        return new ModeTask(model, loras, controlnets, hiresScale, hiresStrength, init, denoising, map,
                refinerSwitchAt);
    }

    ModeTask withRefinerSwitchAt(double at) {
        return new ModeTask(model, loras, controlnets, hiresScale, hiresStrength, initImage, strength, depthMap, at);
    }

    /** The task of image {@code ordinal} of {@code sweep}, with a fresh image id and its object key. */
    RenderTask build(UUID sweep, long ordinal) {
        UUID id = UUID.randomUUID();
        return new RenderTask(id, sweep, ordinal, 1, new ImageParameters(model, "a red fox", "blurry", 7.5, 4,
                "euler", 7, 64, 48, "torch_cpu", PromptOverflow.TRUNCATE, initImage, strength, null, depthMap, loras,
                controlnets, hiresScale, hiresStrength, hiresScale == null ? null : HiresUpscaler.LATENT.id(),
                hiresScale == null ? null : 0, refinerSwitchAt), ObjectKeys.image(sweep, ordinal, id));
    }
}
