package io.sweepfarm.coordinator.image;

import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;

/**
 * The image filters as query parameters ({@code prompt}, {@code cfg_scale}, ...), shared by every endpoint that
 * selects images: {@code @BeanParam ImageFilterParams}.
 */
public class ImageFilterParams {

    @QueryParam("prompt")
    String prompt;

    @QueryParam("negative_prompt")
    String negativePrompt;

    @QueryParam("cfg_scale")
    String cfgScale;

    @QueryParam("steps")
    String steps;

    @QueryParam("sampler")
    String sampler;

    @QueryParam("seed")
    String seed;

    @QueryParam("width")
    String width;

    @QueryParam("height")
    String height;

    @QueryParam("state")
    String state;

    @Context
    UriInfo uri;

    /** The filter these parameters describe, within {@code sweepId} (null: any sweep); 400 for a bad value. */
    public ImageFilter toFilter(String sweepId) {
        // "?negative_prompt=" asks for images without one; the framework hands an empty value over as null.
        var given = uri.getQueryParameters();
        String p = prompt == null && given.containsKey("prompt") ? "" : prompt;
        String n = negativePrompt == null && given.containsKey("negative_prompt") ? "" : negativePrompt;
        return ImageFilter.parse(sweepId, p, n, cfgScale, steps, sampler, seed, width, height, state);
    }
}
