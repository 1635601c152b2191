package io.sweepfarm.coordinator.sweep;

import io.sweepfarm.common.api.CreateSweepRequest;
import io.sweepfarm.common.api.GridView;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.api.SweepView;
import io.sweepfarm.coordinator.config.CoordinatorConfig;
import io.sweepfarm.coordinator.events.SweepStream;
import io.sweepfarm.coordinator.image.DatasetExport;
import io.sweepfarm.coordinator.image.GridService;
import io.sweepfarm.coordinator.image.ImageFilter;
import io.sweepfarm.coordinator.image.ImageQuery;
import io.sweepfarm.coordinator.image.QueryParams;
import io.sweepfarm.coordinator.problem.ProblemException;
import io.sweepfarm.coordinator.storage.ImageStore;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/sweeps}: submit, read, follow and control sweeps. */
@Path("/api/v1/sweeps")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sweeps", description = "Submit, read, follow and control sweeps")
@APIResponse(responseCode = "400", ref = "Malformed")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class SweepResource {

    /** Body of {@code PATCH /api/v1/sweeps/{id}}. */
    public record SweepPatch(Integer priority) {
    }

    /** The longest idempotency key accepted. */
    static final int MAX_KEY = 255;

    @Inject
    SweepService sweeps;

    @Inject
    GridService grids;

    @Inject
    ImageQuery images;

    @Inject
    ImageStore store;

    @Inject
    CoordinatorConfig config;

    @Inject
    SweepStream stream;

    /**
     * Submits a sweep as JSON or YAML. 201 with the sweep's id and image count; with {@code "dry_run": true}, 200
     * with the count and the first images, and nothing stored. With an {@code Idempotency-Key} header a retried
     * submission returns the first sweep (header {@code Idempotent-Replayed: true}).
     */
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "413", ref = "TooLarge")
    @APIResponse(responseCode = "415", ref = "UnsupportedMediaType")
    @APIResponse(responseCode = "422", ref = "Invalid")
    @RequestBody(required = true, description = "The sweep, as JSON or YAML (application/yaml)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CreateSweepRequest.class)))
    @APIResponse(responseCode = "201", description = "Stored; Location names the sweep",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation =
                    io.sweepfarm.common.api.CreateSweepResponse.class)))
    @APIResponse(responseCode = "200", description = "A dry run: the image count and the first images; nothing stored",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation =
                    io.sweepfarm.common.api.SweepPreview.class)))
    @POST
    @Consumes(MediaType.WILDCARD)
    public Response create(byte[] body, @HeaderParam("Content-Type") String contentType,
            @Context jakarta.ws.rs.core.HttpHeaders headers, @Context UriInfo uri) {
        QueryParams.requireOnly(uri, Set.of());
        String key = idempotencyKey(headers.getRequestHeader("Idempotency-Key"));
        CreateSweepRequest request = RequestBodies.read(contentType, body, CreateSweepRequest.class, true);
        SweepService.Created created;
        try {
            created = sweeps.create(request, key);
        } catch (PersistenceException e) {
            if (key == null) {
                throw e;
            }
            // The same key submitted concurrently: the other request stored it first.
            created = sweeps.replay(key, sweeps.requestHash(request)).orElseThrow(() -> e);
        }
        if (created instanceof SweepService.Previewed p) {
            return Response.ok(p.preview()).build();
        }
        SweepService.Stored stored = (SweepService.Stored) created;
        Response.ResponseBuilder r = Response.created(uri.getAbsolutePathBuilder()
                .path(stored.response().id().toString()).build()).entity(stored.response());
        if (stored.replayed()) {
            r.header("Idempotent-Replayed", "true");
        }
        return r.build();
    }

    /** The key, or null without the header; present but empty, repeated or ill-formed is a 400. */
    private static String idempotencyKey(java.util.List<String> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        String raw = values.size() == 1 && values.get(0) != null ? values.get(0) : "";
        if (raw.isEmpty() || raw.length() > MAX_KEY || !raw.matches("[\\x21-\\x7e]+")) {
            throw new ProblemException.Malformed("Idempotency-Key", "must be 1-" + MAX_KEY
                    + " printable ASCII characters without spaces");
        }
        return raw;
    }

    /** Newest first; {@code state} and {@code model} narrow the list. */
    @GET
    public List<SweepView> list(@QueryParam("limit") String limit, @QueryParam("state") String state,
            @QueryParam("model") String model, @Context UriInfo uri) {
        QueryParams.requireOnly(uri, Set.of("limit", "state", "model"));
        SweepState s = null;
        if (state != null) {
            try {
                s = SweepState.valueOf(state.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ProblemException.Malformed("state", "unknown state '" + QueryParams.shown(state)
                        + "'; valid: " + java.util.Arrays.toString(SweepState.values()));
            }
        }
        return sweeps.list(QueryParams.limit(limit, config), s, model);
    }

    /**
     * An X/Y plot of the sweep: {@code x} (and optionally {@code y}) name the parameters along the axes; the image
     * filters of {@code GET /api/v1/images} fix the others. The browser view is {@code /grid.html?sweep=ID&x=...}.
     */
    @APIResponse(responseCode = "422", ref = "Invalid")
    @GET
    @Path("{id}/grid")
    public GridView grid(@PathParam("id") String id, @QueryParam("x") String x, @QueryParam("y") String y,
            @Context UriInfo uri) {
        UUID sweepId = QueryParams.pathId("sweep", id);
        ImageFilter filter = ImageFilter.parse(uri, Set.of("x", "y")).within(sweepId);
        sweeps.view(sweepId); // 404 for an unknown sweep
        return grids.grid(sweepId, x, y, filter);
    }

    /**
     * The sweep's rendered images as a dataset: {@code format=imagefolder} (zip with {@code metadata.jsonl}, for
     * Hugging Face {@code datasets}) or {@code webdataset} (tar of {@code .png} + {@code .json} samples); the image
     * filters select a subset. Streamed: any size in constant memory.
     */
    @GET
    @Path("{id}/export")
    public Response export(@PathParam("id") String id, @QueryParam("format") String format, @Context UriInfo uri) {
        UUID sweepId = QueryParams.pathId("sweep", id);
        sweeps.view(sweepId); // 404 for an unknown sweep
        DatasetExport.Format f = DatasetExport.Format.of(format).orElseThrow(() -> new ProblemException.Malformed(
                "format", "unknown format '" + QueryParams.shown(format) + "'; use imagefolder or webdataset"));
        ImageFilter filter = ImageFilter.parse(uri, Set.of("format")).within(sweepId);
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

    /**
     * Server-sent events of the sweep: {@code progress} (the sweep view) at once and about every second while it
     * changes, {@code image} for each image as it finishes, and a last {@code progress} when the sweep is final.
     */
    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @io.smallrye.common.annotation.Blocking
    public Multi<OutboundSseEvent> events(@PathParam("id") String id, @Context jakarta.ws.rs.sse.Sse sse) {
        UUID sweepId = QueryParams.pathId("sweep", id);
        sweeps.view(sweepId); // 404 for an unknown sweep
        return stream.events(sweepId, sse);
    }
    @APIResponse(responseCode = "409", ref = "Conflict")
    @POST
    @Path("{id}/pause")
    public SweepView pause(@PathParam("id") String id) {
        return sweeps.pause(QueryParams.pathId("sweep", id));
    }
    @APIResponse(responseCode = "409", ref = "Conflict")
    @POST
    @Path("{id}/resume")
    public SweepView resume(@PathParam("id") String id) {
        return sweeps.resume(QueryParams.pathId("sweep", id));
    }
    @APIResponse(responseCode = "409", ref = "Conflict")
    @POST
    @Path("{id}/cancel")
    public SweepView cancel(@PathParam("id") String id) {
        return sweeps.cancel(QueryParams.pathId("sweep", id));
    }

    /** Gives the failed images another try (a COMPLETED sweep runs again); 409 for a cancelled sweep. */
    @APIResponse(responseCode = "409", ref = "Conflict")
    @POST
    @Path("{id}/retry-failed")
    public SweepView retryFailed(@PathParam("id") String id) {
        return sweeps.retryFailed(QueryParams.pathId("sweep", id));
    }
    @APIResponse(responseCode = "415", ref = "UnsupportedMediaType")
    @APIResponse(responseCode = "422", ref = "Invalid")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SweepPatch.class)))
    @PATCH
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    public SweepView patch(@PathParam("id") String id, byte[] body, @HeaderParam("Content-Type") String type) {
        UUID sweepId = QueryParams.pathId("sweep", id);
        SweepPatch patch = RequestBodies.read(type, body, SweepPatch.class);
        if (patch.priority() == null) {
            throw new ProblemException.Invalid("priority", "is required (the only field that can change)");
        }
        return sweeps.reprioritise(sweepId, patch.priority());
    }
}
