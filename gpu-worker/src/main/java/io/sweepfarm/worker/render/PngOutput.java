package io.sweepfarm.worker.render;

import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.png.ImageParameters;
import io.sweepfarm.common.png.InfoText;
import io.sweepfarm.common.png.PngText;
import java.awt.image.BufferedImage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stored form of a rendered image: PNG bytes carrying the A1111 infotext in a {@code parameters} text chunk,
 * and the same parameters as S3 user metadata.
 *
 * <p>S3 user metadata travels in HTTP headers, which must be ASCII: free text (prompts, model) is stored
 * percent-encoded UTF-8 (decode with {@code URLDecoder}); numbers are plain.
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
        m.put("model", encode(t.model()));
        m.put("prompt", encode(t.prompt()));
        m.put("negative-prompt", encode(t.negativePrompt() == null ? "" : t.negativePrompt()));
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

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
