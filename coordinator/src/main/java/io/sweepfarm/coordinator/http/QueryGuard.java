package io.sweepfarm.coordinator.http;

import io.sweepfarm.coordinator.image.QueryParams;
import io.sweepfarm.coordinator.problem.ProblemException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.UriInfo;
import java.io.ByteArrayOutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Query strings, checked once for every resource before it runs: a parameter whose name or value is not UTF-8 once
 * percent-decoded is a 400 naming it (the framework would silently turn the bytes into U+FFFD, and the request would
 * then be something other than what was sent), and so is any parameter of an endpoint that takes none. A parameter
 * that the resource binds to one value ({@code limit}, {@code cursor}, {@code x}, ...) may be given once (the
 * framework would keep the first and drop the rest) and, in the API, not empty. Endpoints that take parameters check
 * their names and values themselves ({@link QueryParams}).
 */
public class QueryGuard {

    private final Map<Method, Boolean> takesQuery = new ConcurrentHashMap<>();
    private final Map<Method, Set<String>> singleValued = new ConcurrentHashMap<>();

    @ServerRequestFilter
    public void check(HttpServerRequest request, ResourceInfo resource) {
        // The raw query as sent: UriInfo's request URI cannot be built for a request without a Host.
        String raw = request.query();
        if (raw == null || raw.isEmpty()) {
            return;
        }
        Method m = resource == null ? null : resource.getResourceMethod();
        Set<String> single = m == null ? Set.of() : singleValued.computeIfAbsent(m, QueryGuard::singleValued);
        boolean api = HttpEdge.apiPath(request.path());
        Set<String> seen = new HashSet<>();
        for (String pair : raw.split("&", -1)) {
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            if (!utf8(rawName) || eq >= 0 && !utf8(pair.substring(eq + 1))) {
                throw new ProblemException.Malformed(QueryParams.shown(lenientDecode(rawName)),
                        "is not UTF-8 text once percent-decoded");
            }
            String decoded = URLDecoder.decode(rawName, StandardCharsets.UTF_8);
            String name = QueryParams.shown(decoded);
            if (decoded.chars().anyMatch(Character::isISOControl)) {
                throw new ProblemException.Malformed(name, "is not a parameter name: it contains control characters");
            }
            if (single.contains(decoded)) {
                if (!seen.add(decoded)) {
                    throw new ProblemException.Malformed(name, "may be given once");
                }
                if (api && (eq < 0 || eq == pair.length() - 1)) {
                    throw new ProblemException.Malformed(name, "has no value; leave it out for the default");
                }
            }
        }
        if (m != null && !takesQuery.computeIfAbsent(m, QueryGuard::declaresQuery)) {
            String first = raw.split("&", 2)[0];
            String name = lenientDecode(first.split("=", 2)[0]);
            throw new ProblemException.Malformed(QueryParams.shown(name), "is not a parameter of this endpoint; it "
                    + "takes none");
        }
    }

    /** Percent-decoded where it can be, else as sent (the name is only shown back). */
    private static String lenientDecode(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    /** The query parameters a resource method binds by name to one value (a String, not a list): one each. */
    static Set<String> singleValued(Method m) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < m.getParameterCount(); i++) {
            if (java.util.Collection.class.isAssignableFrom(m.getParameterTypes()[i])) {
                continue;
            }
            for (Annotation a : m.getParameterAnnotations()[i]) {
                if (a instanceof QueryParam q) {
                    names.add(q.value());
                }
            }
        }
        return Set.copyOf(names);
    }

    /** Whether a resource method reads query parameters (by name, as a bean, or from the whole {@code UriInfo}). */
    static boolean declaresQuery(Method m) {
        for (int i = 0; i < m.getParameterCount(); i++) {
            if (m.getParameterTypes()[i] == UriInfo.class) {
                return true;
            }
            for (Annotation a : m.getParameterAnnotations()[i]) {
                if (a instanceof QueryParam || a instanceof BeanParam) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether percent-decoding gives valid UTF-8 (a bad escape counts as not). */
    static boolean utf8(String percentEncoded) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(percentEncoded.length());
        for (int i = 0; i < percentEncoded.length(); i++) {
            char c = percentEncoded.charAt(i);
            if (c == '%') {
                if (i + 2 >= percentEncoded.length()) {
                    return false;
                }
                int hi = Character.digit(percentEncoded.charAt(i + 1), 16);
                int lo = Character.digit(percentEncoded.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return false;
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
