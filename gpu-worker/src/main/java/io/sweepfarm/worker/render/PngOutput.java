package io.sweepfarm.worker.render;

import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.png.ImageParameters;
import io.sweepfarm.common.png.InfoText;
import io.sweepfarm.common.png.PngText;
import io.sweepfarm.common.storage.Hashes;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stored form of a rendered image: PNG bytes carrying the A1111 infotext in a {@code parameters} text chunk,
 * and the same parameters as S3 user metadata.
 *
 * <p>S3 user metadata travels in HTTP headers, which must be ASCII and are small (2 KB in all on AWS S3; a larger
 * set is refused with a 400). So it holds only short, bounded fields: ids, numbers, sampler, model, input keys and
 * the SHA-256 of the prompt and negative prompt. The full text is in the PNG's infotext and in the coordinator's
 * database, never in headers: a 100 kB prompt must not make the upload fail.
 */
public final class PngOutput {

    private PngOutput() {
    }

    public static ImageParameters parameters(RenderTask t) {
        return new ImageParameters(t.prompt(), t.negativePrompt() == null ? "" : t.negativePrompt(), t.steps(),
                t.sampler(), t.cfgScale(), t.seed(), t.width(), t.height(), t.model(), t.noiseSource(),
                t.initImageKey() == null ? null : t.strength());
    }

    public static byte[] encode(RenderTask task, BufferedImage image) {
        return PngText.write(image, Map.of("parameters", InfoText.format(parameters(task))));
    }

    public static Map<String, String> metadata(RenderTask t) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sweep-id", t.sweepId().toString());
        m.put("image-id", t.imageId().toString());
        m.put("ordinal", Long.toString(t.ordinal()));
        m.put("model", t.model());
        m.put("prompt-sha256", Hashes.sha256(t.prompt()));
        m.put("negative-prompt-sha256", Hashes.sha256(t.negativePrompt() == null ? "" : t.negativePrompt()));
        m.put("cfg-scale", Double.toString(t.cfgScale()));
        m.put("steps", Integer.toString(t.steps()));
        m.put("sampler", t.sampler());
        m.put("seed", Long.toString(t.seed()));
        m.put("width", Integer.toString(t.width()));
        m.put("height", Integer.toString(t.height()));
        m.put("noise-source", t.noiseSource());
        if (t.initImageKey() != null) {
            m.put("init-image", t.initImageKey());
            m.put("strength", Double.toString(t.strength()));
        }
        if (t.maskKey() != null) {
            m.put("mask", t.maskKey());
        }
        return m;
    }
}
