package io.sweepfarm.coordinator.image;

import io.sweepfarm.common.api.ImagePage;
import io.sweepfarm.common.api.ImageView;
import io.sweepfarm.coordinator.config.CoordinatorConfig;
import io.sweepfarm.coordinator.storage.ImageStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/images}: query images by any parameter, within a sweep ({@code sweep_id}) or across every sweep
 * (see {@link ImageFilter} for the filters); read one; download its PNG.
 */
@Path("/api/v1/images")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "images", description = "Query images across sweeps, read one, download its PNG")
@APIResponse(responseCode = "400", ref = "Malformed")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class ImageResource {

    @Inject
    ImageQuery images;

    @Inject
    ImageStore store;

    @Inject
    CoordinatorConfig config;

    /**
     * A page of matching images in (sweep, ordinal) order. {@code next_cursor} continues the listing; a page may be
     * shorter than {@code limit} when the query's work bound was reached, and its cursor then continues the search.
     */
    @APIResponse(responseCode = "422", ref = "Invalid")
    @GET
    public ImagePage query(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
            @Context UriInfo uri) {
        ImageFilter filter = ImageFilter.parse(uri, Set.of("limit", "cursor"));
        return images.page(filter, cursor, QueryParams.limit(limit, config));
    }
    @GET
    @Path("{id}")
    public ImageView get(@PathParam("id") String id) {
        return images.get(QueryParams.pathId("image", id));
    }

    /** Streams the PNG from S3; 404 problem while the image is not rendered. */
    @GET
    @Path("{id}/png")
    @Produces({"image/png", "application/problem+json"})
    public Response png(@PathParam("id") String id) {
        UUID imageId = QueryParams.pathId("image", id);
        String key = images.renderedKey(imageId);
        InputStream in = store.open(key, imageId);
        StreamingOutput body = out -> {
            try (InputStream src = in) {
                src.transferTo(out);
            }
        };
        return Response.ok(body, "image/png").build();
    }
}
