package io.sweepfarm.coordinator.http;

import io.quarkus.logging.Log;
import io.quarkus.runtime.configuration.MemorySize;
import io.sweepfarm.coordinator.config.CoordinatorConfig;
import io.sweepfarm.coordinator.image.QueryParams;
import io.sweepfarm.coordinator.problem.ClientGone;
import io.sweepfarm.coordinator.problem.Problem;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The HTTP layer's refusals as problem documents, like every other refusal of the API. Before a request reaches a
 * resource: a URI longer than {@code max-uri-length} is a 414, headers over {@code max-header-bytes} a 431, a body
 * over {@code max-body-size} a 413 (by its {@code Content-Length} before any of it is read; a chunked body is
 * buffered up to the limit and refused when it passes it), a request without {@code Host} (HTTP/1.0 too) a 400, a
 * compressed body ({@code Content-Encoding}) a 415 and a matrix parameter in the path a 400 naming it. Afterwards,
 * failures the framework reports (no {@code Host} header, a path that cannot be decoded, an unknown path or method)
 * become problems too, and a client that went away is logged at DEBUG, never as an ERROR.
 *
 * <p>Vert.x refuses a request line or headers beyond its own codec limits ({@code quarkus.http.limits.
 * max-initial-line-length}, {@code max-header-size}) before any handler runs, with an empty 414/431 and no hook in
 * Quarkus to change it, so those limits are set well above the API's and the API's limits
 * answer here.
 */
@ApplicationScoped
public class HttpEdge {

    /** Headers that mean one thing: sent twice, which one counts would be a guess. */
    static final java.util.List<String> SINGLE = java.util.List.of("Content-Type", "Content-Length", "Authorization",
            "Idempotency-Key", "Transfer-Encoding", "Host");

    /** Before Quarkus' own body-size check (order -2), which answers a bare 413. */
    static final int ORDER_LIMITS = -20;
    /** After the API-key check ({@code AccessGuard}, -15): an unauthorised chunked body is never read. */
    static final int ORDER_CHUNKED_BODY = -10;

    @Inject
    CoordinatorConfig config;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize frameworkBodyLimit;

    void routes(@Observes Router router) {
        long maxBody = config.maxBodySize().asLongValue();
        if (frameworkBodyLimit.asLongValue() != maxBody) {
            Log.warnf("quarkus.http.limits.max-body-size (%d) differs from sweepfarm.coordinator.max-body-size (%d); "
                    + "set only the latter", frameworkBodyLimit.asLongValue(), maxBody);
        }
        BodyHandler chunked = BodyHandler.create(false).setBodyLimit(maxBody);
        router.route().order(ORDER_LIMITS).handler(ctx -> limits(ctx, maxBody));
        router.route().order(ORDER_CHUNKED_BODY).handler(ctx -> {
            if (ctx.request().headers().contains("Transfer-Encoding", "chunked", true)) {
                chunked.handle(ctx);
            } else {
                ctx.next();
            }
        });
        router.route().order(ORDER_LIMITS).failureHandler(this::failed);
        router.errorHandler(404, ctx -> EdgeResponses.send(ctx, Problem.of(404, "no resource at "
                + shownPath(ctx), null), false));
        router.errorHandler(405, ctx -> EdgeResponses.send(ctx, Problem.of(405, "method " + ctx.request().method()
                + " is not allowed on " + shownPath(ctx), null), false));
    }

    private void limits(RoutingContext ctx, long maxBody) {
        HttpServerRequest r = ctx.request();
        String uri = r.uri();
        if (uri.length() > config.maxUriLength()) {
            EdgeResponses.send(ctx, Problem.of(414, "the request URI is " + uri.length() + " characters long; the "
                    + "limit is " + config.maxUriLength(), null), true);
            return;
        }
        long headerBytes = 0;
        String largest = null;
        int largestSize = -1;
        for (Map.Entry<String, String> h : r.headers()) {
            int size = h.getKey().length() + h.getValue().length() + 4;
            headerBytes += size;
            if (size > largestSize) {
                largestSize = size;
                largest = h.getKey();
            }
        }
        if (headerBytes > config.maxHeaderBytes()) {
            EdgeResponses.send(ctx, Problem.of(431, "the request headers are " + headerBytes + " bytes; the limit is "
                    + config.maxHeaderBytes() + " (the largest is " + largest + ")", largest), true);
            return;
        }
        for (String name : SINGLE) {
            if (r.headers().getAll(name).size() > 1) {
                EdgeResponses.send(ctx, Problem.of(400, "is given more than once", name), true);
                return;
            }
        }
        if (r.authority() == null) {
            // Host, or HTTP/2's :authority. HTTP/1.0 allows leaving it out, but every link the API answers (Location,
            // download URLs) is built on it.
            EdgeResponses.send(ctx, noHost(), true);
            return;
        }
        String coding = r.getHeader("Content-Encoding");
        if (coding != null && !coding.trim().equalsIgnoreCase("identity")) {
            EdgeResponses.send(ctx, Problem.of(415, "'" + QueryParams.shown(coding) + "' is not accepted: send "
                    + "request bodies uncompressed", "Content-Encoding"), true);
            return;
        }
        String matrix = matrixParameter(r.path());
        if (matrix != null) {
            EdgeResponses.send(ctx, Problem.of(400, "is a matrix parameter (after ';' in the path); the API takes "
                    + "none", matrix), true);
            return;
        }
        String length = r.getHeader("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = -1;
            }
            if (declared < 0) {
                EdgeResponses.send(ctx, Problem.of(400, "must be a byte count", "Content-Length"), true);
                return;
            }
            if (declared > maxBody) {
                EdgeResponses.send(ctx, Problem.of(413, "is " + declared + " bytes; the limit is " + maxBody
                        + " (sweepfarm.coordinator.max-body-size)", "body"), true);
                return;
            }
        }
        ctx.next();
    }

    private void failed(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        int status = ctx.statusCode();
        if (failure != null && ClientGone.is(failure)) {
            Log.debugf("The client went away before its response was complete (%s)", failure.toString());
            if (!ctx.response().ended() && !ctx.response().closed()) {
                ctx.request().connection().close();
            }
            return;
        }
        boolean hostMissing = failure != null && failure.getClass().getName().equals("io.vertx.core.VertxException")
                && String.valueOf(failure.getMessage()).contains("Host");
        if (hostMissing) {
            // Vert.x' own refusal of HTTP/1.1 without Host, before the limits above run.
            EdgeResponses.send(ctx, noHost(), true);
            return;
        }
        if (failure instanceof IllegalArgumentException) {
            // Vert.x' own refusal of a path it cannot decode.
            EdgeResponses.send(ctx, Problem.of(400, "the request is malformed: " + firstLine(failure.getMessage()), null),
                    true);
            return;
        }
        if (status == 413) {
            EdgeResponses.send(ctx, Problem.of(413, "is larger than the limit of "
                    + config.maxBodySize().asLongValue() + " bytes (sweepfarm.coordinator.max-body-size)", "body"),
                    true);
            return;
        }
        if (status >= 400 && status < 500) {
            EdgeResponses.send(ctx, Problem.of(status, describe(status), null), status == 400);
            return;
        }
        String incident = UUID.randomUUID().toString();
        Log.errorf(failure, "Unexpected error at the HTTP layer, incident %s; %s %s was not completed", incident,
                ctx.request().method(), shownPath(ctx));
        EdgeResponses.send(ctx, new Problem("about:blank", "Internal error", 500, "The coordinator failed "
                + "unexpectedly; quote incident " + incident + " to the operators", null, null), false);
    }

    private static String describe(int status) {
        return switch (status) {
            case 400 -> "the request is malformed";
            case 404 -> "no such resource";
            case 405 -> "the method is not allowed here";
            case 415 -> "the content type is not accepted here";
            default -> "the request was refused";
        };
    }

    private static String firstLine(String m) {
        if (m == null) {
            return "";
        }
        String line = m.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    /** The name of the first matrix parameter in a raw path ({@code /a;name=v/b}) as sent, or null if it has none. */
    static String matrixParameter(String rawPath) {
        int semi = rawPath == null ? -1 : rawPath.indexOf(';');
        if (semi < 0) {
            return null;
        }
        String rest = rawPath.substring(semi + 1);
        int end = rest.length();
        for (char stop : new char[] {'=', ';', '/'}) {
            int i = rest.indexOf(stop);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return QueryParams.shown(rest.substring(0, end));
    }

    /** The refusal of a request without Host (or HTTP/2's :authority), whichever layer notices it. */
    private static Problem noHost() {
        return Problem.of(400, "is required (HTTP/1.0 requests too)", "Host");
    }

    /** Whether a path is the REST API's ({@code /api} and below), where refusals are problems and keys apply. */
    public static boolean apiPath(String path) {
        return path != null && (path.equals("/api") || path.startsWith("/api/"));
    }

    /** The request path as it may be shown back: at most 100 characters, control characters replaced. */
    static String shownPath(RoutingContext ctx) {
        String p = ctx.request().path();
        if (p == null) {
            return "?";
        }
        p = p.length() > 100 ? p.substring(0, 100) + "…" : p;
        return p.replaceAll("\\p{Cntrl}", "?");
    }

    static boolean unsafe(HttpMethod m) {
        return !(m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS);
    }
}
