package io.sweepfarm.coordinator.http;

import io.sweepfarm.coordinator.problem.ProblemException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A body sent to an API endpoint that reads none (a pause, a GET with filters as JSON) is a 400 naming {@code body}:
 * ignored, it would look as if it had been applied (a JSON filter on a GET would list every image).
 */
public class BodyGuard {

    private final Map<Method, Boolean> takesBody = new ConcurrentHashMap<>();

    @ServerRequestFilter
    public void check(HttpServerRequest request, ResourceInfo resource) {
        Method m = resource == null ? null : resource.getResourceMethod();
        if (m == null || !HttpEdge.apiPath(request.path()) || takesBody.computeIfAbsent(m, BodyGuard::declaresBody)) {
            return;
        }
        String length = request.getHeader("Content-Length");
        boolean chunked = request.headers().contains("Transfer-Encoding", "chunked", true);
        if (chunked || length != null && !length.trim().equals("0")) {
            throw new ProblemException.Malformed("body", "this endpoint reads no body; send the request without one");
        }
    }

    /** Whether a resource method reads the body: an unannotated (entity) parameter, or form fields. */
    static boolean declaresBody(Method m) {
        for (Annotation[] annotations : m.getParameterAnnotations()) {
            if (annotations.length == 0) {
                return true;
            }
            for (Annotation a : annotations) {
                if (a instanceof RestForm || a instanceof FormParam || a instanceof BeanParam) {
                    return true;
                }
            }
        }
        return false;
    }
}
