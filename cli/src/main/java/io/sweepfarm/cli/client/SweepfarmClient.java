package io.sweepfarm.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.sweepfarm.common.api.CreateSweepResponse;
import io.sweepfarm.common.api.ImagePage;
import io.sweepfarm.common.api.InputView;
import io.sweepfarm.common.api.SweepView;
import io.sweepfarm.common.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;

/** A small client of the coordinator's REST API ({@code /api/v1}). Thread-safe. */
public final class SweepfarmClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    public SweepfarmClient(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** Submits a sweep given as JSON (the {@code CreateSweepRequest} format). */
    public CreateSweepResponse createSweep(byte[] requestJson) {
        return createSweep(requestJson, "application/json");
    }

    /** Submits a sweep given as JSON ({@code application/json}) or YAML ({@code application/yaml}). */
    public CreateSweepResponse createSweep(byte[] body, String contentType) {
        HttpRequest req = HttpRequest.newBuilder(uri("/api/v1/sweeps")).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return Json.fromBytes(send(req), CreateSweepResponse.class);
    }

    /** Uploads an init image or mask (PNG or JPEG bytes); the answer's key goes into a sweep. */
    public InputView uploadInput(byte[] image) {
        HttpRequest req = HttpRequest.newBuilder(uri("/api/v1/inputs")).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(image)).build();
        return Json.fromBytes(send(req), InputView.class);
    }

    /** The most recent sweeps, newest first ({@code GET /api/v1/sweeps}). */
    public List<SweepView> sweeps(int limit) {
        return List.of(Json.fromBytes(send(HttpRequest.newBuilder(uri("/api/v1/sweeps?limit=" + limit)).GET().build()),
                SweepView[].class));
    }

    public SweepView sweep(UUID id) {
        return Json.fromBytes(send(HttpRequest.newBuilder(uri("/api/v1/sweeps/" + id)).GET().build()), SweepView.class);
    }

    /** {@code pause}, {@code resume} or {@code cancel} a sweep. */
    public SweepView control(UUID id, String action) {
        HttpRequest req = HttpRequest.newBuilder(uri("/api/v1/sweeps/" + id + "/" + action))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return Json.fromBytes(send(req), SweepView.class);
    }

    /** Queries images; keys are the API's query parameters ({@code sweep_id}, {@code cfg_scale}, ...). */
    public ImagePage images(Map<String, String> query) {
        return Json.fromBytes(send(HttpRequest.newBuilder(uri("/api/v1/images" + queryString(query))).GET().build()),
                ImagePage.class);
    }

    /** Downloads a path or absolute URL the API returned (e.g. an image's {@code download_url}). */
    public byte[] download(String pathOrUrl) {
        URI target = pathOrUrl.startsWith("http") ? URI.create(pathOrUrl) : uri(pathOrUrl);
        return send(HttpRequest.newBuilder(target).GET().build());
    }

    /** Streams a path or absolute URL the API serves into {@code file} (for exports of any size). */
    public void downloadTo(String pathOrUrl, java.nio.file.Path file) {
        URI target = pathOrUrl.startsWith("http") ? URI.create(pathOrUrl) : uri(pathOrUrl);
        try {
            HttpResponse<java.nio.file.Path> r = http.send(HttpRequest.newBuilder(target).GET().build(),
                    HttpResponse.BodyHandlers.ofFile(file));
            if (r.statusCode() / 100 != 2) {
                byte[] body = java.nio.file.Files.readAllBytes(file);
                java.nio.file.Files.deleteIfExists(file);
                throw new ApiException(r.statusCode(), describeProblem(body));
            }
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted");
        }
    }

    public static String queryString(Map<String, String> query) {
        if (query.isEmpty()) {
            return "";
        }
        StringJoiner q = new StringJoiner("&", "?", "");
        query.forEach((k, v) -> q.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return q.toString();
    }

    public String baseUrl() {
        return baseUrl;
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private byte[] send(HttpRequest request) {
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() / 100 != 2) {
                throw new ApiException(r.statusCode(), describeProblem(r.body()));
            }
            return r.body();
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted");
        }
    }

    private ApiException unreachable(IOException e) {
        String why = e instanceof java.net.ConnectException ? "connection refused"
                : e instanceof java.net.http.HttpTimeoutException ? "timed out"
                : e.getMessage() != null ? e.getMessage() : "connection failed";
        return new ApiException(0, "no coordinator answers at " + baseUrl + " (" + why + "); start one with "
                + "./sweepfarm up, or pass --coordinator URL");
    }

    private static String describeProblem(byte[] body) {
        try {
            JsonNode p = Json.MAPPER.readTree(body);
            String detail = p.path("detail").asText(p.path("title").asText(""));
            String field = p.path("field").asText("");
            return field.isEmpty() ? detail : field + ": " + detail;
        } catch (IOException | RuntimeException e) {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The coordinator answered with an error, or could not be reached ({@code status} 0). */
    public static final class ApiException extends RuntimeException {
        private final int status;

        public ApiException(int status, String message) {
            super(status == 0 ? message : "HTTP " + status + ": " + message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
