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
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
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
    public ImagePage query(@QueryParam("sweep_id") String sweepId, @QueryParam("prompt") String prompt,
            @QueryParam("negative_prompt") String negativePrompt, @QueryParam("cfg_scale") String cfgScale,
            @QueryParam("steps") String steps, @QueryParam("sampler") String sampler, @QueryParam("seed") String seed,
            @QueryParam("width") String width, @QueryParam("height") String height,
            @QueryParam("state") String state, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor, @Context UriInfo uri) {
        // "?negative_prompt=" asks for images without one; the framework hands an empty value over as null.
        MultivaluedMap<String, String> given = uri.getQueryParameters();
        prompt = prompt == null && given.containsKey("prompt") ? "" : prompt;
        negativePrompt = negativePrompt == null && given.containsKey("negative_prompt") ? "" : negativePrompt;
        ImageFilter filter = ImageFilter.parse(sweepId, prompt, negativePrompt, cfgScale, steps, sampler, seed, width,
                height, state);
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
