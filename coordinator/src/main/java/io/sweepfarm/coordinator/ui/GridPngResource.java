package io.sweepfarm.coordinator.ui;

import io.quarkus.logging.Log;
import io.sweepfarm.common.api.ImageSize;
import io.sweepfarm.coordinator.image.ImageQuery;
import io.sweepfarm.coordinator.image.QueryParams;
import io.sweepfarm.coordinator.plan.SweepPlans;
import io.sweepfarm.coordinator.problem.ProblemException;
import io.sweepfarm.coordinator.storage.ImageStore;
import io.sweepfarm.coordinator.sweep.SweepService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/sweeps/{id}/grid.png?x=&y=&z=&<param>=…}: the X/Y/Z plot as one labelled PNG, like
 * AUTOMATIC1111's grid image. Axes and fixed values as on the grid page; parameters not given are fixed at their
 * first value, and anything given that the page would replace (an unknown parameter or axis, a value the sweep does
 * not have) is refused.
 */
@Path("/api/v1/sweeps/{id}/grid.png")
@Tag(name = "sweeps")
@APIResponse(responseCode = "400", ref = "Malformed")
@APIResponse(responseCode = "422", ref = "Invalid")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class GridPngResource {

    @Inject
    SweepService sweeps;

    @Inject
    GridPage grids;

    @Inject
    ImageQuery images;

    @Inject
    ImageStore store;

    @Inject
    SweepPlans plans;

    @GET
    @Produces({"image/png", "application/problem+json"})
    public Response png(@PathParam("id") String id, @Context UriInfo uri) {
        UUID sweepId = QueryParams.pathId("sweep", id);
        sweeps.view(sweepId); // 404 for an unknown sweep
        grids.requireExact(sweepId, uri.getQueryParameters());
        GridPage.Plot plot = grids.plot(sweepId, uri.getQueryParameters());
        List<GridPicture.Section> sections = new ArrayList<>();
        for (GridPage.Section s : plot.sections()) {
            if (s.error() != null) {
                throw new ProblemException.Invalid("x", s.error());
            }
            sections.add(new GridPicture.Section(s.title(), s.grid()));
        }
        int nativeSize = plans.get(sweepId).plan().spec().sizes().stream()
                .mapToInt(size -> Math.max(size.width(), size.height())).max().orElse(512);
        long started = System.nanoTime();
        byte[] png = GridPicture.png(sections, nativeSize, this::load);
        Log.infof("Grid PNG of sweep %s drawn (%d bytes) in %d ms", sweepId, png.length,
                (System.nanoTime() - started) / 1_000_000);
        return Response.ok(png, "image/png").header("Content-Disposition",
                "attachment; filename=\"grid-" + sweepId + ".png\"").build();
    }

    private BufferedImage load(UUID imageId) {
        try (InputStream in = store.open(images.renderedKey(imageId), imageId)) {
            return ImageIO.read(in);
        } catch (IOException | RuntimeException e) {
            Log.warnf("Image %s left out of a grid PNG: %s", imageId, e.getMessage());
            return null;
        }
    }

}
