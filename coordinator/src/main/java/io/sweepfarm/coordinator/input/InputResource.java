package io.sweepfarm.coordinator.input;

import io.quarkus.logging.Log;
import io.sweepfarm.common.api.InputView;
import io.sweepfarm.common.storage.Hashes;
import io.sweepfarm.common.storage.ObjectKeys;
import io.sweepfarm.coordinator.image.QueryParams;
import io.sweepfarm.coordinator.problem.ProblemException;
import io.sweepfarm.coordinator.storage.ImageStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /api/v1/inputs}: uploads an init image or mask (PNG, JPEG, BMP or GIF bytes as the body, with an
 * {@code image/*} or {@code application/octet-stream} content type). It is stored once as PNG under
 * {@code inputs/{sha256}.png}; the answer's {@code key} goes into a sweep's {@code init_images} or {@code mask}.
 * Uploading the same image twice gives the same key. The body limit is {@code sweepfarm.coordinator.max-body-size}
 * (a 413 before the body is read); see {@link InputImages} for the dimensions and the decoding.
 */
@Path("/api/v1/inputs")
@Tag(name = "inputs", description = "Upload init images and masks")
@APIResponse(responseCode = "400", ref = "Malformed")
@APIResponse(responseCode = "413", ref = "TooLarge")
@APIResponse(responseCode = "415", ref = "UnsupportedMediaType")
@APIResponse(responseCode = "422", ref = "Invalid")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class InputResource {

    @Inject
    ImageStore store;

    @Inject
    InputImages images;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response upload(byte[] body, @HeaderParam("Content-Type") String contentType, @Context UriInfo uri) {
        QueryParams.requireOnly(uri, Set.of());
        String media = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!media.isEmpty() && !media.startsWith("image/") && !media.equals("application/octet-stream")) {
            throw new ProblemException.UnsupportedMediaType("Content-Type " + QueryParams.shown(media)
                    + " is not an image", "image/png, image/jpeg, image/bmp, image/gif or application/octet-stream");
        }
        InputView view = store(body);
        return Response.created(URI.create("/api/v1/inputs/" + view.sha256())).entity(view).build();
    }

    /**
     * Checks an uploaded image (header first, then a bounded decode) and stores it as PNG under its content-addressed
     * key; the web UI's form uploads come here too. Refusals are {@link ProblemException}s naming the image.
     */
    public InputView store(byte[] body) {
        InputImages.Decoded image = images.read(body);
        String sha = Hashes.sha256(image.png());
        String key = ObjectKeys.input(sha);
        store.putInput(key, image.png());
        Log.infof("Stored input %s (%dx%d, %d bytes)", key, image.width(), image.height(), image.png().length);
        return new InputView(key, sha, image.width(), image.height());
    }
}
