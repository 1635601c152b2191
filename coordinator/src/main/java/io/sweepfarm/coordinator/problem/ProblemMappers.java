package io.sweepfarm.coordinator.problem;

import io.quarkus.logging.Log;
import io.sweepfarm.coordinator.health.Dependencies;
import io.sweepfarm.coordinator.health.Dependency;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.UUID;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every exception that reaches the REST layer into {@code application/problem+json}: domain exceptions with
 * their status, framework errors (unknown route, wrong method or media type) with theirs, an unreachable database or
 * storage into a 503 naming it, and anything else into a 500 whose detail carries only an incident id that is also
 * logged with the stack trace. A client that went away is not an error: it is logged at DEBUG.
 */
public class ProblemMappers {

    @Inject
    Dependencies dependencies;

    @ServerExceptionMapper
    public Response domain(ProblemException e) {
        if (e instanceof ProblemException.Unavailable u && u.dependency() != null) {
            Dependency d = Dependency.of(u.dependency());
            if (d != null) {
                dependencies.down(d, e);
            }
        }
        return respond(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e);
        }
        // Refusals by the framework before a resource ran: name the header at fault where there is one.
        return respond(switch (status) {
            case 415 -> Problem.of(415, "the content type is missing, malformed or not accepted here", "Content-Type");
            case 406 -> Problem.of(406, "no representation this endpoint produces is acceptable", "Accept");
            case 405 -> Problem.of(405, "the method is not allowed here", null);
            case 404 -> Problem.of(404, "no such resource", null);
            default -> Problem.of(status, "the request was refused", null);
        });
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        // A dependency first: a database or S3 connection that broke looks like a client that went away.
        ProblemException.Unavailable unavailable = dependencies.unavailable(e);
        if (unavailable != null) {
            return respond(unavailable);
        }
        if (ClientGone.is(e)) {
            Log.debugf("The client went away before its response was complete (%s)", e.toString());
            return respond(Problem.of(400, "the connection was closed", null));
        }
        if (e instanceof IOException && "Request too large".equals(e.getMessage())) {
            // A chunked body over the limit, already answered 413 by the framework.
            return respond(Problem.of(413, "the request body is larger than the limit", "body"));
        }
        String incident = UUID.randomUUID().toString();
        Log.errorf(e, "Unexpected error, incident %s; the request was not completed", incident);
        return respond(new Problem("about:blank", "Internal error", 500,
                "The coordinator failed unexpectedly; quote incident " + incident + " to the operators", null, null));
    }

    static Response respond(ProblemException e) {
        Response.ResponseBuilder r = Response.status(e.status()).type(Problem.MEDIA_TYPE).entity(e.toProblem());
        if (e instanceof ProblemException.Unavailable u) {
            r.header("Retry-After", Integer.toString(u.retryAfterSeconds()));
        }
        return r.build();
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
