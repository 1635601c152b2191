package io.sweepfarm.coordinator.problem;

import io.quarkus.logging.Log;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every exception that reaches the REST layer into {@code application/problem+json}: domain exceptions with
 * their status, framework errors (unknown route, wrong method or media type) with theirs, and anything else into a
 * 500 whose detail carries only an incident id that is also logged with the stack trace.
 */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response domain(ProblemException e) {
        return respond(e.toProblem());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : "Request rejected";
        return respond(new Problem("about:blank", title, status, title, null, null));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        String incident = UUID.randomUUID().toString();
        Log.errorf(e, "Unexpected error, incident %s; the request was not completed", incident);
        return respond(new Problem("about:blank", "Internal error", 500,
                "The coordinator failed unexpectedly; quote incident " + incident + " to the operators", null, null));
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
