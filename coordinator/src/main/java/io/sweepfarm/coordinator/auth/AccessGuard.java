package io.sweepfarm.coordinator.auth;

import io.quarkus.logging.Log;
import io.sweepfarm.coordinator.config.CoordinatorConfig;
import io.sweepfarm.coordinator.http.EdgeResponses;
import io.sweepfarm.coordinator.http.HttpEdge;
import io.sweepfarm.coordinator.problem.Problem;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Requires an API key for every write (any method but GET, HEAD and OPTIONS, the upload included) and, with
 * {@code protect-reads}, for reads of {@code /api/**}, before the request reaches a resource or its body is read.
 * The key comes as {@code Authorization: Bearer <key>}, or from the browser session cookie that
 * {@code POST /api/v1/session} sets; a cookie-borne write must come from the coordinator's own origin (a cross-site
 * form cannot use the cookie: it is {@code SameSite=Strict}, and the {@code Origin} check backs that up). Refusals are
 * 401 problems that never echo what was presented.
 */
@ApplicationScoped
public class AccessGuard {

    /** Between the HTTP limits (-20) and the chunked-body buffering (-10). */
    static final int ORDER = -15;
    public static final String COOKIE = "sweepfarm_key";
    public static final String SESSION_PATH = "/api/v1/session";
    /** The web UI's sign-in page, where a browser without a session is sent. */
    public static final String SIGNIN_PATH = "/signin";

    /** What a request needs. */
    enum Need {
        NOTHING, KEY
    }

    @Inject
    CoordinatorConfig config;

    @Inject
    ApiKeys keys;

    void routes(@Observes Router router) {
        if (config.auth().enabled()) {
            router.route().order(ORDER).handler(this::check);
        }
    }

    /** Whether {@code method} on {@code path} can need a key (it does when reads are protected), for the API docs. */
    public static boolean keyNeeded(HttpMethod method, String path) {
        return need(method, path, true) == Need.KEY;
    }

    /** Pure: whether {@code method} on {@code path} needs a key. */
    static Need need(HttpMethod method, String path, boolean protectReads) {
        if (path.equals(SESSION_PATH) || path.equals(SIGNIN_PATH)) {
            return Need.NOTHING; // they check the key they are given themselves
        }
        boolean read = method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
        if (!read) {
            return Need.KEY;
        }
        return protectReads && HttpEdge.apiPath(path) ? Need.KEY : Need.NOTHING;
    }

    private void check(RoutingContext ctx) {
        String path;
        try {
            path = ctx.normalizedPath();
        } catch (RuntimeException e) {
            EdgeResponses.send(ctx, Problem.of(400, "the request path cannot be decoded", null), true);
            return;
        }
        if (need(ctx.request().method(), path, config.auth().protectReads()) == Need.NOTHING) {
            ctx.next();
            return;
        }
        HttpServerRequest r = ctx.request();
        List<String> authorization = r.headers().getAll("Authorization");
        Optional<String> name;
        if (!authorization.isEmpty()) {
            name = authorization.size() == 1 ? bearer(authorization.get(0)).flatMap(keys::verify) : Optional.empty();
        } else {
            Cookie cookie = r.getCookie(COOKIE);
            name = cookie == null ? Optional.empty() : keys.verify(cookie.getValue());
            if (name.isPresent() && !sameOrigin(r)) {
                EdgeResponses.send(ctx, Problem.of(403, "a request authorised by the session cookie must come from "
                        + "this coordinator's own pages (Origin does not match)", "Origin"), true);
                return;
            }
        }
        if (name.isEmpty()) {
            Log.debugf("Refused %s %s: no valid API key", r.method(), path);
            String detail = !keys.any() ? "this coordinator has no API keys configured, so it accepts no writes; an "
                    + "operator adds one to sweepfarm.coordinator.auth.key-hashes"
                    : "a valid API key is required: send Authorization: Bearer <key>";
            if (!HttpEdge.apiPath(path)) {
                toSignIn(ctx);
                return;
            }
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"sweepfarm\"");
            EdgeResponses.send(ctx, Problem.of(401, detail, "Authorization"), true);
            return;
        }
        ctx.put("sweepfarm.key", name.get());
        ctx.next();
    }

    /**
     * A page's form or control without a session: the browser is sent to sign in, then back to the page it was on
     * (htmx requests get the same as an {@code HX-Redirect}).
     */
    private static void toSignIn(RoutingContext ctx) {
        HttpServerRequest r = ctx.request();
        String from = r.getHeader("HX-Current-URL");
        if (from == null) {
            from = r.getHeader("Referer");
        }
        String back = localPath(from == null ? null : pathOf(from));
        String target = SIGNIN_PATH + "?next="
                + java.net.URLEncoder.encode(back, java.nio.charset.StandardCharsets.UTF_8);
        if ("true".equals(r.getHeader("HX-Request"))) {
            ctx.response().setStatusCode(401).putHeader("HX-Redirect", target).end();
        } else {
            ctx.response().setStatusCode(303).putHeader("Location", target).end();
        }
    }

    private static String pathOf(String url) {
        try {
            java.net.URI u = java.net.URI.create(url);
            return u.getRawPath() == null ? null
                    : u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * {@code next} when it is a path of this coordinator (one leading slash, no scheme or host, no control
     * characters), else {@code /}: a sign-in never sends the browser elsewhere.
     */
    public static String localPath(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
                || next.length() > 2000 || next.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            return "/";
        }
        return next;
    }

    /** The token of {@code Bearer <token>} (scheme case-insensitive), or empty. */
    static Optional<String> bearer(String header) {
        String h = header.trim();
        if (h.length() < 7 || !h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return Optional.empty();
        }
        String token = h.substring(7).trim();
        return token.isEmpty() || token.contains(" ") ? Optional.empty() : Optional.of(token);
    }

    /** True without an {@code Origin} header (not a browser), or when it names the host the request was sent to. */
    static boolean sameOrigin(HttpServerRequest r) {
        String origin = r.getHeader("Origin");
        if (origin == null) {
            return true;
        }
        String host = r.authority() == null ? null : r.authority().toString(); // Host, or HTTP/2's :authority
        try {
            URI o = URI.create(origin);
            return host != null && o.getAuthority() != null && o.getAuthority().equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
