package io.sweepfarm.coordinator.input;

import io.quarkus.logging.Log;
import io.sweepfarm.common.api.InputView;
import io.sweepfarm.common.png.PngText;
import io.sweepfarm.common.storage.Hashes;
import io.sweepfarm.common.storage.ObjectKeys;
import io.sweepfarm.coordinator.problem.ProblemException;
import io.sweepfarm.coordinator.storage.ImageStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.util.Map;

/**
 * {@code POST /api/v1/inputs}: uploads an init image or mask (PNG, JPEG, BMP or GIF bytes as the body). It is stored
 * once as PNG under {@code inputs/{sha256}.png}; the answer's {@code key} goes into a sweep's {@code init_images} or
 * {@code mask}. Uploading the same image twice gives the same key.
 */
@Path("/api/v1/inputs")
public class InputResource {

    /** Largest accepted upload. */
    static final int MAX_BYTES = 32 * 1024 * 1024;
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @Inject
    ImageStore store;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response upload(byte[] body) {
        if (body == null || body.length == 0) {
            throw new ProblemException.Invalid("body", "is empty: send the image bytes (PNG or JPEG) as the body");
        }
        if (body.length > MAX_BYTES) {
            throw new ProblemException.Invalid("body", "is " + body.length + " bytes; the limit is " + MAX_BYTES);
        }
        BufferedImage image;
        try {
            image = PngText.readImage(body);
        } catch (RuntimeException e) {
            throw new ProblemException.Invalid("body", "is not a decodable image (PNG, JPEG, BMP or GIF)");
        }
        if (image.getWidth() > 8192 || image.getHeight() > 8192) {
            throw new ProblemException.Invalid("body", "is " + image.getWidth() + "x" + image.getHeight()
                    + "; the limit is 8192x8192");
        }
        byte[] png = isPng(body) ? body : PngText.write(image, Map.of());
        String sha = Hashes.sha256(png);
        String key = ObjectKeys.input(sha);
        store.putInput(key, png);
        Log.infof("Stored input %s (%dx%d, %d bytes)", key, image.getWidth(), image.getHeight(), png.length);
        return Response.created(URI.create("/api/v1/inputs/" + sha))
                .entity(new InputView(key, sha, image.getWidth(), image.getHeight())).build();
    }

    private static boolean isPng(byte[] b) {
        if (b.length < PNG_MAGIC.length) {
            return false;
        }
        for (int i = 0; i < PNG_MAGIC.length; i++) {
            if (b[i] != PNG_MAGIC[i]) {
                return false;
            }
        }
        return true;
    }
}
