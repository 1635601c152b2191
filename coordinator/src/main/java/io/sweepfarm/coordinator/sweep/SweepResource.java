package io.sweepfarm.coordinator.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweepfarm.common.api.CreateSweepRequest;
import io.sweepfarm.common.api.CreateSweepResponse;
import io.sweepfarm.common.api.GridView;
import io.sweepfarm.common.api.SweepView;
import io.sweepfarm.coordinator.config.CoordinatorConfig;
import io.sweepfarm.coordinator.image.DatasetExport;
import io.sweepfarm.coordinator.image.GridService;
import io.sweepfarm.coordinator.image.ImageFilter;
import io.sweepfarm.coordinator.image.ImageFilterParams;
import io.sweepfarm.coordinator.image.ImageService;
import io.sweepfarm.coordinator.storage.ImageStore;
import io.sweepfarm.coordinator.image.QueryParams;
import io.sweepfarm.coordinator.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import java.util.List;
import java.util.UUID;

/** {@code /api/v1/sweeps}: submit, read and control sweeps. */
@Path("/api/v1/sweeps")
@Produces(MediaType.APPLICATION_JSON)
public class SweepResource {

    /** Body of {@code PATCH /api/v1/sweeps/{id}}. */
    public record SweepPatch(Integer priority) {
    }

    @Inject
    SweepService sweeps;

    @Inject
    GridService grids;

    @Inject
    ImageService images;

    @Inject
    ImageStore store;

    @Inject
    ObjectMapper mapper;

    @Inject
    CoordinatorConfig config;

    /** The body is read as bytes and parsed by {@link RequestBodies} so every parse failure names its field. */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Response create(byte[] body, @Context UriInfo uri) {
        CreateSweepRequest request = RequestBodies.read(mapper, body, CreateSweepRequest.class);
        CreateSweepResponse created = sweeps.create(request);
        return Response.created(uri.getAbsolutePathBuilder().path(created.id().toString()).build())
                .entity(created).build();
    }

    @GET
    public List<SweepView> list(@QueryParam("limit") String limit) {
        return sweeps.list(QueryParams.limit(limit, config));
    }

    /**
     * An X/Y plot of the sweep: {@code x} (and optionally {@code y}) name the parameters along the axes; the image
     * filters of {@code GET /api/v1/images} fix the others. The browser view is {@code /grid.html?sweep=ID&x=...}.
     */
    @GET
    @Path("{id}/grid")
    public GridView grid(@PathParam("id") String id, @QueryParam("x") String x, @QueryParam("y") String y,
            @BeanParam ImageFilterParams filters) {
        UUID sweepId = QueryParams.pathId("sweep", id);
        sweeps.view(sweepId); // 404 for an unknown sweep
        return grids.grid(sweepId, x, y, filters.toFilter(sweepId.toString()));
    }

    /**
     * The sweep's rendered images as a dataset: {@code format=imagefolder} (zip with {@code metadata.jsonl}, for
     * Hugging Face {@code datasets}) or {@code webdataset} (tar of {@code .png} + {@code .json} samples); the image
     * filters select a subset. Streamed: any size in constant memory.
     */
    @GET
    @Path("{id}/export")
    public Response export(@PathParam("id") String id, @QueryParam("format") String format,
            @BeanParam ImageFilterParams filters) {
        UUID sweepId = QueryParams.pathId("sweep", id);
        sweeps.view(sweepId); // 404 for an unknown sweep
        DatasetExport.Format f = DatasetExport.Format.of(format).orElseThrow(() -> new ProblemException.Malformed(
                "format", "unknown format '" + format + "'; use imagefolder or webdataset"));
        ImageFilter filter = filters.toFilter(sweepId.toString());
        DatasetExport export = new DatasetExport(images, store);
        StreamingOutput body = out -> export.write(filter, f, out);
        return Response.ok(body, f.mediaType).header("Content-Disposition",
                "attachment; filename=\"sweep-" + sweepId + "." + f.extension + "\"").build();
    }

    @GET
    @Path("{id}")
    public SweepView get(@PathParam("id") String id) {
        return sweeps.view(QueryParams.pathId("sweep", id));
    }

    @POST
    @Path("{id}/pause")
    public SweepView pause(@PathParam("id") String id) {
        return sweeps.pause(QueryParams.pathId("sweep", id));
    }

    @POST
    @Path("{id}/resume")
    public SweepView resume(@PathParam("id") String id) {
        return sweeps.resume(QueryParams.pathId("sweep", id));
    }

    @POST
    @Path("{id}/cancel")
    public SweepView cancel(@PathParam("id") String id) {
        return sweeps.cancel(QueryParams.pathId("sweep", id));
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    public SweepView patch(@PathParam("id") String id, byte[] body) {
        UUID sweepId = QueryParams.pathId("sweep", id);
        SweepPatch patch = RequestBodies.read(mapper, body, SweepPatch.class);
        if (patch.priority() == null) {
            throw new ProblemException.Invalid("priority", "is required (the only field that can change)");
        }
        return sweeps.reprioritise(sweepId, patch.priority());
    }
}
