package io.sweepfarm.worker.render;

import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.png.InfoText;
import io.sweepfarm.common.png.PngText;
import io.sweepfarm.common.storage.Hashes;
import io.sweepfarm.common.storage.ObjectMetadata;
import io.sweepfarm.engine.ImageRequest;
import java.util.LinkedHashMap;
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
        return new ImageParameters(asked.model(), r.prompt(), r.negativePrompt(), r.cfgScale(), r.steps(),
                r.sampler().id(), r.seed(), r.width(), r.height(), r.noiseSource(), asked.promptOverflow(),
                img2img ? asked.initImage() : null, img2img ? r.strength() : null,
                r.mask() != null ? asked.mask() : null);
    }

    /**
     * The PNG with the rendered request's A1111 infotext in its {@code parameters} chunk: as A1111 records it, with
     * LoRA tags in the prompt, the hires strength as the denoising strength, and the modes' extra parameters.
     */
    public static byte[] encode(RenderTask task, RenderOutcome.Rendered rendered) {
        ImageRequest r = rendered.request();
        ImageParameters p = rendered(task, r);
        ImageParameters a1111 = new ImageParameters(p.model(), A1111Params.prompt(r), p.negativePrompt(),
                p.cfgScale(), p.steps(), p.sampler(), p.seed(), p.width(), p.height(), p.noiseSource(),
                p.promptOverflow(), p.initImage(), A1111Params.denoisingStrength(r), p.mask());
        return PngText.write(rendered.image(), Map.of("parameters",
                InfoText.format(a1111, A1111Params.extra(r, null))));
    }

    /** The S3 user metadata of the rendered image. */
    public static Map<String, String> metadata(RenderTask t, ImageRequest r) {
        Map<String, String> m = new LinkedHashMap<>(ObjectMetadata.of(new RenderTask(t.imageId(), t.sweepId(),
                t.ordinal(), t.attempt(), rendered(t, r), t.outputKey())));
        if (!r.loras().isEmpty()) {
            m.put("loras", headerSafe(String.join(",", r.loras().stream()
                    .map(l -> l.name() + ":" + InfoText.number(l.scale())).toList())));
        }
        if (!r.controlNets().isEmpty()) {
            m.put("controlnets", headerSafe(String.join(",", r.controlNets().stream()
                    .map(u -> u.name() + ":" + InfoText.number(u.scale()) + ":" + InfoText.number(u.guidanceStart())
                            + ":" + InfoText.number(u.guidanceEnd())).toList())));
        }
        if (r.hires() != null) {
            m.put("hires-upscale", InfoText.number(r.hires().scale()));
            m.put("hires-strength", InfoText.number(r.hires().strength()));
            m.put("hires-upscaler", r.hires().upscaler().name().toLowerCase(java.util.Locale.ROOT));
            m.put("hires-steps", Integer.toString(r.hires().steps()));
        }
        if (r.refiner() != null) {
            m.put("refiner-switch-at", InfoText.number(r.refiner().switchAt()));
        }
        return m;
    }

    /** Names as they are when short printable ASCII (HTTP header values), else their SHA-256. */
    private static String headerSafe(String value) {
        boolean ascii = value.length() <= 256 && value.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        return ascii ? value : "sha256:" + Hashes.sha256(value);
    }
}
