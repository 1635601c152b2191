package io.sweepfarm.worker.render;

import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.png.ImageParameters;
import io.sweepfarm.common.png.InfoText;
import io.sweepfarm.common.png.PngText;
import io.sweepfarm.common.storage.Hashes;
import io.sweepfarm.engine.ImageRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stored form of a rendered image: PNG bytes carrying the A1111 infotext in a {@code parameters} text chunk,
 * and the same parameters as S3 user metadata. Image parameters come from the engine request that was rendered;
 * only identities (sweep, image, ordinal, model name, object keys) come from the task.
 *
 * <p>S3 user metadata travels in HTTP headers, which must be ASCII and are small (2 KB in all on AWS S3; a larger
 * set is refused with a 400). So it holds only short, bounded fields: ids, numbers, sampler, model, input keys and
 * the SHA-256 of the prompt and negative prompt. The full text is in the PNG's infotext and in the coordinator's
 * database, never in headers: a 100 kB prompt must not make the upload fail.
 */
public final class PngOutput {

    private PngOutput() {
    }

    /**
     * The parameters of the rendered request as A1111 records them (LoRA tags in the prompt, the hires strength as
     * the denoising strength), named as the task names its model.
     */
    public static ImageParameters parameters(RenderTask t, ImageRequest r) {
        return new ImageParameters(A1111Params.prompt(r), r.negativePrompt(), r.steps(), r.sampler().id(),
                r.cfgScale(), r.seed(), r.width(), r.height(), t.model(), r.noiseSource(),
                A1111Params.denoisingStrength(r));
    }

    /** The PNG with the rendered request's A1111 infotext in its {@code parameters} chunk. */
    public static byte[] encode(RenderTask task, RenderOutcome.Rendered rendered) {
        ImageRequest r = rendered.request();
        return PngText.write(rendered.image(), Map.of("parameters",
                InfoText.format(parameters(task, r), A1111Params.extra(r, null))));
    }

    public static Map<String, String> metadata(RenderTask t, ImageRequest r) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sweep-id", t.sweepId().toString());
        m.put("image-id", t.imageId().toString());
        m.put("ordinal", Long.toString(t.ordinal()));
        m.put("model", t.model());
        m.put("prompt-sha256", Hashes.sha256(r.prompt()));
        m.put("negative-prompt-sha256", Hashes.sha256(r.negativePrompt()));
        m.put("cfg-scale", Double.toString(r.cfgScale()));
        m.put("steps", Integer.toString(r.steps()));
        m.put("sampler", r.sampler().id());
        m.put("seed", Long.toString(r.seed()));
        m.put("width", Integer.toString(r.width()));
        m.put("height", Integer.toString(r.height()));
        m.put("noise-source", r.noiseSource());
        if (r.initImage() != null) {
            m.put("init-image", t.initImageKey());
            m.put("strength", Double.toString(r.strength()));
        }
        if (r.mask() != null) {
            m.put("mask", t.maskKey());
        }
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
