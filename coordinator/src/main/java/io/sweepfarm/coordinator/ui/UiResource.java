package io.sweepfarm.coordinator.ui;

import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.sweepfarm.common.api.ImagePage;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.api.SweepView;
import io.sweepfarm.common.sampler.SamplerId;
import io.sweepfarm.coordinator.auth.AccessGuard;
import io.sweepfarm.coordinator.auth.ApiKeys;
import io.sweepfarm.coordinator.auth.SessionResource;
import io.sweepfarm.coordinator.config.CoordinatorConfig;
import io.sweepfarm.coordinator.fleet.Fleet;
import io.sweepfarm.coordinator.fleet.ModelBacklog;
import io.sweepfarm.coordinator.image.ImageFilter;
import io.sweepfarm.coordinator.image.ImageQuery;
import io.sweepfarm.coordinator.image.QueryParams;
import io.sweepfarm.coordinator.problem.ProblemException;
import io.sweepfarm.coordinator.storage.ImageStore;
import io.sweepfarm.coordinator.sweep.SweepService;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The web UI, server-rendered: {@code /} (sweeps), {@code /sweeps/new}, {@code /sweeps/{id}}, {@code /images},
 * {@code /images/{id}}, {@code /sweeps/{id}/grid} and {@code /fleet}. Pages read the same services as the REST API
 * and work without scripts; htmx adds live updates (server-sent HTML), the form's live preview and infinite scroll.
 * Controls are plain form posts answered with a redirect back to the page.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class UiResource {

    /**
     * Tells the form to refresh its preview once the new keys are in it: after the swap, since a plain
     * {@code HX-Trigger} fires before it and the preview would read the form as it was.
     */
    private static final String INPUTS_CHANGED = "HX-Trigger-After-Swap";
    private static final List<Integer> ZOOMS = List.of(64, 96, 128, 192, 256, 384, 512);

    @Inject
    SweepService sweeps;

    @Inject
    ImageQuery images;

    @Inject
    ImageStore store;

    @Inject
    CoordinatorConfig config;

    @Inject
    Composer composer;

    @Inject
    ApiKeys keys;

    @Inject
    Browsing browsing;

    @Inject
    GridPage grids;

    @Inject
    LiveStreams live;

    @Inject
    Fleet fleet;

    @Inject
    ModelBacklog backlog;

    @GET
    public TemplateInstance sweeps(@QueryParam("state") String state, @QueryParam("model") String model,
            @QueryParam("limit") String limit) {
        SweepState s = sweepState(state);
        String m = blank(model) ? null : model;
        List<Progress> list = sweeps.list(QueryParams.limit(limit, config), s, m).stream().map(Progress::new)
                .toList();
        List<String> states = Arrays.stream(SweepState.values()).map(Enum::name).toList();
        MultivaluedMap<String, String> q = new MultivaluedHashMap<>();
        if (s != null) {
            q.add("state", s.name());
        }
        if (m != null) {
            q.add("model", m);
        }
        return Templates.sweeps(list, s == null ? null : s.name(), m, states, composer.models(),
                Browsing.queryString(q, null, null));
    }

    @GET
    @Path("sweeps/live")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    public Multi<OutboundSseEvent> sweepsLive(@QueryParam("state") String state, @QueryParam("model") String model,
            @Context Sse sse) {
        return live.sweepsList(config.defaultPageSize(), sweepState(state), blank(model) ? null : model, sse);
    }

    @GET
    @Path("sweeps/new")
    public Response compose(@CookieParam(AccessGuard.COOKIE) String session) {
        if (config.auth().enabled() && (session == null || keys.verify(session).isEmpty())) {
            return Response.seeOther(URI.create("/signin?next=/sweeps/new")).build();
        }
        List<String> models = composer.models();
        return Response.ok(compose(SweepForm.defaults(models.isEmpty() ? "" : models.get(0)), Map.of(), models,
                null)).build();
    }

    @GET
    @Path("signin")
    public TemplateInstance signin(@QueryParam("next") String next) {
        return Templates.signin(AccessGuard.localPath(next), null);
    }

    /** Checks the key and keeps it in the session cookie, then goes back where the user was. */
    @POST
    @Path("signin")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signin(@RestForm("api_key") String key, @RestForm("next") String next, @Context UriInfo uri) {
        String back = AccessGuard.localPath(next);
        if (key == null || keys.verify(key.trim()).isEmpty()) {
            return Response.status(401).entity(Templates.signin(back, "That is not a valid API key.")).build();
        }
        return Response.seeOther(URI.create(back)).cookie(SessionResource.cookie(key.trim(), uri, config)).build();
    }

    @POST
    @Path("sweeps/new")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response submit(@BeanParam SweepForm form) {
        if (form.pressedUnitButton()) {
            // "Add ControlNet unit" or "Remove unit" without scripts: the whole form back, values and uploads kept.
            Map<String, String> errors = composer.upload(form);
            form.applyUnitButtons();
            return Response.ok(compose(form, errors, composer.models(), null)).build();
        }
        Composer.Submitted s = composer.submit(form);
        if (s.id() != null) {
            return Response.seeOther(URI.create("/sweeps/" + s.id())).build();
        }
        return Response.status(422).entity(compose(form, s.errors(), composer.models(), null)).build();
    }

    @POST
    @Path("sweeps/new/preview")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public TemplateInstance preview(@BeanParam SweepForm form) {
        return Templates.compose$preview(composer.preview(form));
    }

    @POST
    @Path("sweeps/new/inputs")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response upload(@BeanParam SweepForm form) {
        Map<String, String> errors = composer.uploadInputs(form);
        return Response.ok(Templates.compose$inputs(form, errors)).header(INPUTS_CHANGED, "inputs-changed").build();
    }

    /**
     * ControlNet units, for htmx: uploads a unit's control image, or adds or removes a unit (the buttons name which),
     * and answers the units alone. Without scripts the same buttons post the whole form to {@code /sweeps/new}.
     */
    @POST
    @Path("sweeps/new/units")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response units(@BeanParam SweepForm form) {
        Map<String, String> errors = composer.uploadControlImages(form);
        form.applyUnitButtons();
        return Response.ok(Templates.compose$controlnets(form, errors)).header(INPUTS_CHANGED, "inputs-changed")
                .build();
    }

    /** An uploaded input, shown small in the form ({@code inputs/<sha256>.png}). */
    @GET
    @Path("sweeps/new/inputs/{name}")
    @Produces("image/png")
    public Response input(@PathParam("name") String name) {
        if (!name.matches("[0-9a-f]{64}\\.png")) {
            throw new ProblemException.NotFound("no uploaded input " + QueryParams.shown(name));
        }
        byte[] png = store.read("inputs/" + name)
                .orElseThrow(() -> new ProblemException.NotFound("no uploaded input " + name));
        return Response.ok(png, "image/png").header("Cache-Control", "public, max-age=31536000, immutable").build();
    }

    @GET
    @Path("sweeps/{id}")
    public TemplateInstance sweep(@PathParam("id") String id) {
        UUID sweepId = QueryParams.pathId("sweep", id);
        Progress progress = new Progress(sweeps.view(sweepId));
        var tiles = browsing.sweepTiles(sweepId);
        List<Pages.Failure> failures = new ArrayList<>();
        if (progress.failed() > 0) {
            images.page(new ImageFilter(sweepId, List.of(), Set.of(ImageState.FAILED)), null, 20).items()
                    .forEach(v -> failures.add(new Pages.Failure(v.id().toString(), v.ordinal(), v.error())));
        }
        return Templates.sweep(new Pages.SweepPage(progress, tiles.getKey(), tiles.getValue(), failures));
    }

    @GET
    @Path("sweeps/{id}/live")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    public Multi<OutboundSseEvent> sweepLive(@PathParam("id") String id, @Context Sse sse) {
        UUID sweepId = QueryParams.pathId("sweep", id);
        sweeps.view(sweepId); // 404 for an unknown sweep
        return live.sweepPage(sweepId, sse);
    }

    /** Pause, resume, cancel, retry the failed images, or set the priority; then back to the page. */
    @POST
    @Path("sweeps/{id}/{action}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response control(@PathParam("id") String id, @PathParam("action") String action,
            @RestForm String back, @RestForm String priority) {
        UUID sweepId = QueryParams.pathId("sweep", id);
        switch (action) {
            case "pause" -> sweeps.pause(sweepId);
            case "resume" -> sweeps.resume(sweepId);
            case "cancel" -> sweeps.cancel(sweepId);
            case "retry-failed" -> sweeps.retryFailed(sweepId);
            case "priority" -> {
                Integer p = QueryParams.integer("priority", priority == null ? null : priority.strip());
                if (p == null) {
                    throw new ProblemException.Invalid("priority", "is required: a whole number");
                }
                sweeps.reprioritise(sweepId, p);
            }
            default -> throw new ProblemException.NotFound("no action " + QueryParams.shown(action)
                    + "; use pause, resume, cancel, retry-failed or priority");
        }
        boolean local = back != null && AccessGuard.localPath(back).equals(back);
        return Response.seeOther(URI.create(local ? back : "/sweeps/" + sweepId)).build();
    }

    @GET
    @Path("sweeps/{id}/grid")
    public TemplateInstance grid(@PathParam("id") String id, @Context UriInfo uri) {
        UUID sweepId = QueryParams.pathId("sweep", id);
        SweepView sweep = sweeps.view(sweepId);
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        GridPage.Plot plot = grids.plot(sweepId, query);
        int zoom = zoom(query.getFirst("zoom"));
        String axes = Browsing.queryString(axesQuery(plot), null, null);
        return Templates.grid(new Pages.Grid(plot, Browsing.title(sweep), "/api/v1/sweeps/" + sweepId
                + "/grid.png?" + axes, "/sweeps/" + sweepId + "/grid/live?" + axes, zoom, ZOOMS,
                sweep.state().isTerminal()));
    }

    @GET
    @Path("sweeps/{id}/grid/live")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    public Multi<OutboundSseEvent> gridLive(@PathParam("id") String id, @Context UriInfo uri, @Context Sse sse) {
        UUID sweepId = QueryParams.pathId("sweep", id);
        sweeps.view(sweepId);
        MultivaluedMap<String, String> q = new MultivaluedHashMap<>(uri.getQueryParameters());
        q.remove("x");
        q.remove("y");
        q.remove("z");
        return live.grid(sweepId, ImageFilter.parse(q, Set.of()).conditions(), sse);
    }

    @GET
    @Path("images")
    public TemplateInstance browse(@Context UriInfo uri) {
        Pages.Browse page = browsing.browse(uri.getQueryParameters());
        return "tiles".equals(uri.getQueryParameters().getFirst("fragment")) ? Templates.images$tiles(page)
                : Templates.images(page);
    }

    @GET
    @Path("images/{id}")
    public TemplateInstance image(@PathParam("id") String id) {
        return Templates.image(browsing.image(QueryParams.pathId("image", id)));
    }

    @GET
    @Path("fleet")
    public TemplateInstance fleet() {
        List<Pages.ModelLoad> models = fleet.models(backlog).stream().map(m -> new Pages.ModelLoad(m.model(),
                m.liveLanes(), m.waitingTasks() == null ? "–" : Long.toString(m.waitingTasks()),
                String.format(Locale.ROOT, "%.2f", m.imagesPerSecond()), m.served())).toList();
        List<Pages.Lane> lanes = fleet.lanes().stream().map(l -> new Pages.Lane(l.laneId(), l.host(), l.model(),
                l.device(), l.state().name().toLowerCase(Locale.ROOT), String.format(Locale.ROOT, "%.2f",
                        l.imagesPerSecond()), l.batchSize(), String.format(Locale.ROOT, "%.0f s", l.ageSeconds()),
                l.lastError(), l.addons() == null ? "" : l.addons().summary())).toList();
        return Templates.fleet(lanes, models);
    }

    /** Problems on a page are shown as a page, with the status the API would give. */
    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return Response.status(e.status()).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.error(e.title(), e.getMessage(), "/")).build();
    }

    private TemplateInstance compose(SweepForm form, Map<String, String> errors, List<String> models,
            Pages.Preview preview) {
        java.util.Set<String> served = composer.served();
        String hint = served.isEmpty() ? "No live worker serves a model now: tick \"wait for a worker\" to queue the "
                + "sweep until one comes." : "Served by live workers: " + String.join(", ", new java.util.TreeSet<>(
                        served)) + ".";
        return Templates.compose(form, errors, Arrays.asList(SamplerId.values()), models, hint, preview);
    }

    /** The axes and fixed values of a plot, as the grid's PNG and live stream take them. */
    private static MultivaluedMap<String, String> axesQuery(GridPage.Plot plot) {
        MultivaluedMap<String, String> q = new MultivaluedHashMap<>();
        q.add("x", plot.x());
        q.add("y", plot.y() == null ? "" : plot.y()); // "y=": no Y axis (left out, a default one would be picked)
        if (plot.z() != null) {
            q.add("z", plot.z());
        }
        plot.fixed().forEach(q::add);
        return q;
    }

    /** The zoom asked for, else 192 px. */
    private static int zoom(String raw) {
        if (raw != null) {
            try {
                int z = Integer.parseInt(raw);
                if (ZOOMS.contains(z)) {
                    return z;
                }
            } catch (NumberFormatException e) {
                // the default below
            }
        }
        return 192;
    }

    private static SweepState sweepState(String raw) {
        if (blank(raw)) {
            return null;
        }
        try {
            return SweepState.valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ProblemException.Malformed("state", "unknown state '" + QueryParams.shown(raw) + "'; valid: "
                    + Arrays.toString(SweepState.values()));
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
