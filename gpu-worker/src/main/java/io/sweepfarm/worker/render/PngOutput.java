package io.sweepfarm.worker.render;

import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.png.InfoText;
import io.sweepfarm.common.png.PngText;
import io.sweepfarm.common.storage.ObjectMetadata;
import java.awt.image.BufferedImage;
import java.util.Map;

/**
 * The stored form of a rendered image: PNG bytes carrying the A1111 infotext of its parameters in a
 * {@code parameters} text chunk, and short parameters as S3 user metadata ({@link ObjectMetadata}).
 */
public final class PngOutput {

    private PngOutput() {
    }

    public static byte[] encode(RenderTask task, BufferedImage image) {
        return PngText.write(image, Map.of("parameters", InfoText.format(task.params())));
    }

    public static Map<String, String> metadata(RenderTask task) {
        return ObjectMetadata.of(task);
    }
}
