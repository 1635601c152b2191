package io.sweepfarm.coordinator.image;

import io.sweepfarm.common.api.ImagePage;
import io.sweepfarm.common.api.ImageView;
import io.sweepfarm.coordinator.config.CoordinatorConfig;
import io.sweepfarm.coordinator.storage.ImageStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.util.UUID;

/** {@code /api/v1/images}: query images by parameter, read one, download its PNG. */
@Path("/api/v1/images")
@Produces(MediaType.APPLICATION_JSON)
public class ImageResource {

    @Inject
    ImageService images;

    @Inject
    ImageStore store;

    @Inject
    CoordinatorConfig config;

    @GET
    public ImagePage query(@QueryParam("sweep_id") String sweepId, @BeanParam ImageFilterParams filters,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return images.page(filters.toFilter(sweepId), cursor, QueryParams.limit(limit, config));
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
