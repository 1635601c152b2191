package io.sweepfarm.coordinator.http;

import io.sweepfarm.common.json.Json;
import io.sweepfarm.coordinator.problem.Problem;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Problem documents answered at the HTTP layer, before (or instead of) the REST resources. */
public final class EdgeResponses {

    private EdgeResponses() {
    }

    /**
     * Answers {@code problem}. With {@code close} the connection is closed once it is sent (the rest of a refused body
     * is never read). A response already under way cannot change; the connection is closed instead.
     */
    public static void send(RoutingContext ctx, Problem problem, boolean close) {
        HttpServerResponse r = ctx.response();
        if (r.ended() || r.closed()) {
            return;
        }
        if (r.headWritten()) {
            ctx.request().connection().close();
            return;
        }
        r.setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE);
        if (problem.status() == 503) {
            r.putHeader("Retry-After", "5");
        }
        if (close) {
            r.putHeader("Connection", "close");
            r.endHandler(v -> ctx.request().connection().close());
        }
        r.end(Json.toString(problem));
    }
}
