package io.sweepfarm.coordinator.ui;

import io.sweepfarm.coordinator.image.QueryParams;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /api/v1/images/{id}/thumbnail}: a small JPEG of a rendered image, made once and kept in S3. */
@Path("/api/v1/images/{id}/thumbnail")
@Tag(name = "images")
@APIResponse(responseCode = "400", ref = "Malformed")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class ThumbnailResource {

    @Inject
    Thumbnails thumbnails;

    @GET
    @Produces({"image/jpeg", "application/problem+json"})
    public Response thumbnail(@PathParam("id") String id) {
        byte[] jpeg = thumbnails.of(QueryParams.pathId("image", id));
        // An image's pixels never change once rendered: browsers may keep its thumbnail.
        return Response.ok(jpeg, "image/jpeg").header("Cache-Control", "public, max-age=31536000, immutable").build();
    }
}
