package io.sweepfarm.coordinator.auth;

import io.sweepfarm.coordinator.config.CoordinatorConfig;
import io.sweepfarm.coordinator.image.QueryParams;
import io.sweepfarm.coordinator.problem.ProblemException;
import io.sweepfarm.coordinator.sweep.RequestBodies;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/session}: a browser's way to hold an API key without scripts seeing it. {@code POST} with
 * {@code {"api_key": "sf_..."}} checks the key and answers 204 with an {@code HttpOnly}, {@code SameSite=Strict}
 * cookie that then authorises the browser's requests like {@code Authorization: Bearer}; {@code DELETE} ends it;
 * {@code GET} tells the web UI whether keys are required and whether it holds a valid one.
 */
@Path(AccessGuard.SESSION_PATH)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "session", description = "A browser session holding an API key (the web UI's sign-in)")
@APIResponse(responseCode = "400", ref = "Malformed")
@APIResponse(responseCode = "401", ref = "Unauthorized")
public class SessionResource {

    /** Body of {@code POST /api/v1/session}. */
    public record Login(String apiKey) {
    }

    /**
     * Answer of {@code GET /api/v1/session}: whether writes (and reads) need a key, and the name of the key this
     * browser's session holds, if valid.
     */
    public record SessionView(boolean writesNeedKey, boolean readsNeedKey, String keyName) {
    }

    @Inject
    ApiKeys keys;

    @Inject
    CoordinatorConfig config;

    @GET
    public SessionView get(@CookieParam(AccessGuard.COOKIE) String cookie, @Context UriInfo uri) {
        QueryParams.requireOnly(uri, Set.of());
        boolean enabled = config.auth().enabled();
        return new SessionView(enabled, enabled && config.auth().protectReads(),
                cookie == null ? null : keys.verify(cookie).orElse(null));
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response login(byte[] body, @HeaderParam("Content-Type") String contentType, @Context UriInfo uri) {
        QueryParams.requireOnly(uri, Set.of());
        Login login;
        try {
            login = RequestBodies.read(contentType, body, Login.class);
        } catch (ProblemException.Malformed | ProblemException.Invalid e) {
            // Parser messages may quote the input, and the input is a secret: say only what is expected.
            throw new ProblemException.Malformed("body", "must be a JSON object {\"api_key\": \"...\"}");
        }
        if (login.apiKey() == null || keys.verify(login.apiKey()).isEmpty()) {
            throw new ProblemException.Unauthorized("api_key", "is not a valid API key");
        }
        NewCookie cookie = cookie(login.apiKey(), uri, config);
        return Response.noContent().cookie(cookie).build();
    }

    /** The session cookie holding {@code key}: HttpOnly, SameSite=Strict, Secure over HTTPS. */
    public static NewCookie cookie(String key, UriInfo uri, CoordinatorConfig config) {
        return new NewCookie.Builder(AccessGuard.COOKIE).value(key).path("/").httpOnly(true)
                .secure("https".equalsIgnoreCase(uri.getRequestUri().getScheme()))
                .sameSite(NewCookie.SameSite.STRICT).maxAge((int) config.auth().sessionMaxAge().toSeconds()).build();
    }

    @DELETE
    public Response logout(@Context UriInfo uri) {
        QueryParams.requireOnly(uri, Set.of());
        NewCookie expired = new NewCookie.Builder(AccessGuard.COOKIE).value("").path("/").httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).maxAge(0).build();
        return Response.noContent().cookie(expired).build();
    }
}
