package io.sweepfarm.worker.render;

import io.sweepfarm.common.image.ControlNetUse;
import io.sweepfarm.common.image.HiresUpscaler;
import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.common.image.LoraWeight;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.png.InfoText;
import io.sweepfarm.common.png.PngText;
import io.sweepfarm.common.storage.ObjectMetadata;
import io.sweepfarm.engine.ControlNetUnit;
import io.sweepfarm.engine.HiresFix;
import io.sweepfarm.engine.ImageRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The stored form of a rendered image: PNG bytes carrying the A1111 infotext in a {@code parameters} text chunk,
 * and short parameters as S3 user metadata ({@link ObjectMetadata}: ids, numbers, names, prompt hashes — never a
 * prompt's text, which may be any length). The image parameters come from the engine request that was rendered;
 * only identities (sweep, image, ordinal, model name, object keys) come from the task.
 */
public final class PngOutput {

    private PngOutput() {
    }

    /** The parameters the engine rendered, named as the task names its model and inputs. */
    public static ImageParameters rendered(RenderTask t, ImageRequest r) {
        ImageParameters asked = t.params();
        boolean img2img = r.initImage() != null;
        List<ControlNetUse> units = new ArrayList<>(r.controlNets().size());
        for (int i = 0; i < r.controlNets().size(); i++) {
            ControlNetUnit u = r.controlNets().get(i);
            String image = i < asked.controlnets().size() ? asked.controlnets().get(i).image() : null;
            units.add(new ControlNetUse(u.name(), image, u.scale(), u.guidanceStart(), u.guidanceEnd()));
        }
        HiresFix h = r.hires();
        return new ImageParameters(asked.model(), r.prompt(), r.negativePrompt(), r.cfgScale(), r.steps(),
                r.sampler().id(), r.seed(), r.width(), r.height(), r.noiseSource(), asked.promptOverflow(),
                img2img ? asked.initImage() : null, img2img ? r.strength() : null,
                r.mask() != null ? asked.mask() : null, r.depthMap() != null ? asked.depthMap() : null,
                r.loras().stream().map(l -> new LoraWeight(l.name(), l.scale())).toList(), units,
                h == null ? null : h.scale(), h == null ? null : h.strength(), h == null ? null : upscalerId(h),
                h == null ? null : h.steps(), r.refiner() == null ? null : r.refiner().switchAt());
    }

    private static String upscalerId(HiresFix h) {
        return switch (h.upscaler()) {
            case LATENT -> HiresUpscaler.LATENT.id();
            case LATENT_NEAREST -> HiresUpscaler.LATENT_NEAREST.id();
            case LANCZOS -> HiresUpscaler.LANCZOS.id();
        };
    }

    /**
     * The PNG with the rendered request's A1111 infotext in its {@code parameters} chunk: as A1111 records it, with
     * LoRA tags in the prompt, the hires strength as the denoising strength, and the modes' extra parameters
     * ({@code Refiner} naming the rendering lane's refiner model when it is known).
     */
    public static byte[] encode(RenderTask task, RenderOutcome.Rendered rendered) {
        ImageRequest r = rendered.request();
        ImageParameters p = rendered(task, r);
        ImageParameters a1111 = new ImageParameters(p.model(), A1111Params.prompt(r), p.negativePrompt(),
                p.cfgScale(), p.steps(), p.sampler(), p.seed(), p.width(), p.height(), p.noiseSource(),
                p.promptOverflow(), p.initImage(), A1111Params.denoisingStrength(r), p.mask(), p.depthMap(),
                p.loras(), p.controlnets(), p.hiresScale(), p.hiresStrength(), p.hiresUpscaler(), p.hiresSteps(),
                p.refinerSwitchAt());
        return PngText.write(rendered.image(), Map.of("parameters",
                InfoText.format(a1111, A1111Params.extra(r, rendered.refiner()))));
    }

    /**
     * The S3 user metadata of the rendered image: {@link ObjectMetadata} of the rendered parameters (LoRAs and
     * ControlNets as short labels, the hires fix and refiner switch by their parameter names).
     */
    public static Map<String, String> metadata(RenderTask t, ImageRequest r) {
        return ObjectMetadata.of(new RenderTask(t.imageId(), t.sweepId(), t.ordinal(), t.attempt(), rendered(t, r),
                t.outputKey()));
    }
}
