package io.sweepfarm.coordinator.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document at /q/openapi describes every {@code /api/v1} operation the coordinator serves (found by
 * reflection on its JAX-RS resources), with its problem responses, and none of the web UI's pages.
 */
@QuarkusTest
@WithTestResource(DevstackTestResource.class)
@RequiresInfra
class OpenApiTest {

    /** "METHOD /path" of every JAX-RS operation in the coordinator's classes. */
    private static Set<String> servedOperations() throws IOException, ClassNotFoundException {
        var root = Paths.get("target", "classes"); // the coordinator's compiled main classes (tests run in coordinator/)
        Set<String> out = new TreeSet<>();
        List<String> classNames = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.walk(root)) {
            files.map(p -> root.relativize(p).toString()).filter(n -> n.endsWith(".class") && !n.contains("$"))
                    .forEach(n -> classNames.add(n.substring(0, n.length() - 6).replace('/', '.')));
        }
        for (String name : classNames) {
            Class<?> c = Class.forName(name, false, Thread.currentThread().getContextClassLoader());
            Path base = c.getAnnotation(Path.class);
            if (base == null) {
                continue;
            }
            for (Method m : c.getDeclaredMethods()) {
                String verb = httpMethod(m);
                if (verb != null) {
                    Path sub = m.getAnnotation(Path.class);
                    out.add(verb + " " + join(base.value(), sub == null ? "" : sub.value()));
                }
            }
        }
        return out;
    }

    private static String httpMethod(Method m) {
        for (Annotation a : m.getAnnotations()) {
            HttpMethod h = a.annotationType().getAnnotation(HttpMethod.class);
            if (h != null) {
                return h.value();
            }
        }
        return null;
    }

    private static String join(String base, String sub) {
        String p = ("/" + base + "/" + sub).replaceAll("/+", "/").replaceAll("\\{(\\w+)\\s*:[^}]*}", "{$1}");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static JsonNode document() {
        try {
            return new ObjectMapper().readTree(given().queryParam("format", "json").get("/q/openapi").then()
                    .statusCode(200).extract().asString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyApiOperationIsDescribedAndNoUiPageIs() throws Exception {
        JsonNode paths = document().path("paths");
        Set<String> described = new HashSet<>();
        paths.fieldNames().forEachRemaining(p -> paths.get(p).fieldNames().forEachRemaining(
                verb -> described.add(verb.toUpperCase(Locale.ROOT) + " " + p)));

        Set<String> served = servedOperations();
        List<String> api = served.stream().filter(o -> o.split(" ")[1].startsWith("/api/v1/")).toList();
        assertThat(api).as("the resources found by reflection").contains("POST /api/v1/sweeps",
                "GET /api/v1/images/{id}/png", "GET /api/v1/workers", "POST /api/v1/inputs");
        assertThat(described).containsAll(api);
        assertThat(described).as("only API operations, none of the web UI's pages")
                .allMatch(o -> o.split(" ")[1].startsWith("/api/v1/"));
        assertThat(served).as("the UI pages exist").contains("GET /sweeps/{id}", "GET /fleet");
    }

    @Test
    void refusalsAreDescribedAsProblemDocuments() {
        JsonNode doc = document();
        JsonNode create = doc.path("paths").path("/api/v1/sweeps").path("post");
        assertThat(create.path("responses").has("422")).isTrue();
        assertThat(create.path("responses").path("422").path("$ref").asText())
                .isEqualTo("#/components/responses/Invalid");
        assertThat(create.path("responses").path("400").path("$ref").asText())
                .isEqualTo("#/components/responses/Malformed");
        assertThat(create.path("requestBody").path("content").path("application/json").path("schema")
                .path("$ref").asText()).isEqualTo("#/components/schemas/CreateSweepRequest");
        JsonNode invalid = doc.path("components").path("responses").path("Invalid");
        assertThat(invalid.path("content").path("application/problem+json").path("schema").path("$ref").asText())
                .isEqualTo("#/components/schemas/Problem");
        JsonNode problem = doc.path("components").path("schemas").path("Problem").path("properties");
        assertThat(problem.has("type") && problem.has("title") && problem.has("status") && problem.has("detail")
                && problem.has("field") && problem.has("errors")).as("the Problem schema: %s", problem).isTrue();
        // Every reference resolves.
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(doc.at(ref.substring(1)).isMissingNode()).as("%s resolves", ref).isFalse();
        }
        assertThat(doc.path("paths").path("/api/v1/sweeps/{id}").path("get").path("responses").has("404"))
                .isTrue();
        // Added by the rules (ApiResponsesFilter), not by each operation.
        assertThat(doc.at("/paths/~1api~1v1~1sweeps~1{id}~1pause/post/responses/401/$ref").asText())
                .isEqualTo("#/components/responses/Unauthorized");
        assertThat(doc.at("/paths/~1api~1v1~1images~1{id}/get/responses/404/$ref").asText())
                .isEqualTo("#/components/responses/NotFound");
        assertThat(doc.at("/paths/~1api~1v1~1inputs/post/responses").has("401")).isTrue();
        assertThat(doc.at("/paths/~1api~1v1~1inputs/post/responses").has("404")).as("no id in the path").isFalse();
    }

    private static void collectRefs(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("$ref") && e.getValue().isTextual()) {
                    out.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, out));
        }
    }

    @Test
    void swaggerUiAnswers() {
        assertThat(given().get("/q/swagger-ui/").then().statusCode(200).extract().asString()).containsIgnoringCase(
                "swagger");
    }
}
