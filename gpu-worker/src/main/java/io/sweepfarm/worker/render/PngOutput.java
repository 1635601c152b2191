package io.sweepfarm.worker.render;

import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.png.ImageParameters;
import io.sweepfarm.common.png.InfoText;
import io.sweepfarm.common.png.PngText;
import io.sweepfarm.common.storage.Hashes;
import io.sweepfarm.engine.ImageRequest;
import java.awt.image.BufferedImage;
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

    /** The parameters of the rendered request, named as the task names its model. */
    public static ImageParameters parameters(RenderTask t, ImageRequest r) {
        return new ImageParameters(r.prompt(), r.negativePrompt(), r.steps(), r.sampler().id(), r.cfgScale(),
                r.seed(), r.width(), r.height(), t.model(), r.noiseSource(), r.strength());
    }

    public static byte[] encode(RenderTask task, RenderOutcome.Rendered rendered) {
        return PngText.write(rendered.image(),
                Map.of("parameters", InfoText.format(parameters(task, rendered.request()))));
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
        return m;
    }
}
