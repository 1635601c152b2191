package io.sweepfarm.coordinator.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.sweepfarm.common.png.PngText;
import io.sweepfarm.coordinator.support.Api;
import io.sweepfarm.coordinator.support.HardenedProfile;
import io.sweepfarm.coordinator.support.Infra;
import io.sweepfarm.coordinator.support.LogCapture;
import io.sweepfarm.coordinator.support.RawHttp;
import io.sweepfarm.coordinator.support.Sweeps;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(HardenedProfile.class)
@WithTestResource(DevstackTestResource.class)
@RequiresInfra
class HttpEdgeTest {

    private static final String AUTH = "Authorization: " + HardenedProfile.bearer() + "\r\n";

    private static void assertProblem(RawHttp.Response r, int status) {
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(Json.fromString(r.body(), Map.class)).containsEntry("status", status);
    }

    @Test
    void theBodyLimitIsOneSettingThatQuarkusFollows() {
        MemorySize quarkus = ConfigProvider.getConfig().getValue("quarkus.http.limits.max-body-size",
                MemorySize.class);
        assertThat(quarkus.asLongValue()).isEqualTo(HardenedProfile.MAX_BODY);
    }

    @Test
    void aBodyDeclaredOverTheLimitIsA413ProblemBeforeItIsRead() {
        long sweeps = Infra.sweepRows();
        RawHttp.Response r = RawHttp.send("POST /api/v1/inputs HTTP/1.1\r\nHost: x\r\n" + AUTH
                + "Content-Type: image/png\r\nContent-Length: " + (11L * 1024 * 1024) + "\r\n\r\n", new byte[4096]);
        assertProblem(r, 413);
        assertThat(r.body()).contains("\"field\":\"body\"").contains("limit is " + HardenedProfile.MAX_BODY);
        assertThat(Infra.sweepRows()).isEqualTo(sweeps);
    }

    @Test
    void aChunkedBodyThatPassesTheLimitIsA413Problem() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            body.writeBytes(RawHttp.chunk(new byte[HardenedProfile.MAX_BODY / 2 + 1]));
        }
        body.writeBytes(RawHttp.lastChunk());
        RawHttp.Response r = RawHttp.send("POST /api/v1/inputs HTTP/1.1\r\nHost: x\r\n" + AUTH
                + "Content-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n", body.toByteArray());
        assertProblem(r, 413);
        assertThat(r.body()).contains("\"field\":\"body\"");
    }

    @Test
    void aChunkedBodyUnderTheLimitIsRead() {
        byte[] png = PngText.write(new BufferedImage(12, 8, BufferedImage.TYPE_INT_RGB), Map.of());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(RawHttp.chunk(java.util.Arrays.copyOf(png, 10)));
        body.writeBytes(RawHttp.chunk(java.util.Arrays.copyOfRange(png, 10, png.length)));
        body.writeBytes(RawHttp.lastChunk());
        RawHttp.Response r = RawHttp.send("POST /api/v1/inputs HTTP/1.1\r\nHost: x\r\n" + AUTH
                + "Content-Type: image/png\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
                body.toByteArray());
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.body()).contains("\"width\":12");
    }

    @Test
    void aUriOverTheLimitIsA414Problem() {
        RawHttp.Response r = RawHttp.send("GET /api/v1/images?prompt=" + "a".repeat(9000)
                + " HTTP/1.1\r\nHost: x\r\n\r\n", null);
        assertProblem(r, 414);
        assertThat(r.body()).contains("limit is 8192");
    }

    @Test
    void headersOverTheLimitAreA431ProblemNamingTheLargest() {
        RawHttp.Response r = RawHttp.send("GET /api/v1/sweeps HTTP/1.1\r\nHost: x\r\nX-Padding: "
                + "p".repeat(20_000) + "\r\n\r\n", null);
        assertProblem(r, 431);
        assertThat(r.body()).contains("\"field\":\"X-Padding\"");
    }

    @Test
    void aRequestWithoutHostIsA400Problem() {
        assertProblem(RawHttp.send("GET /api/v1/sweeps HTTP/1.1\r\n\r\n", null), 400);
    }

    @Test
    void http2CarriesItsHostAsAuthorityAndIsServed() throws Exception {
        // Java's HttpClient asks for HTTP/2 by an h2c upgrade: the request then has :authority and no Host header.
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_2).build();
        java.net.URI base = java.net.URI.create("http://127.0.0.1:" + RestAssured.port);
        java.net.http.HttpResponse<String> first = client.send(java.net.http.HttpRequest.newBuilder(base
                .resolve("/q/health/ready")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).as("readiness over h2c: %s", first.body()).isEqualTo(200);
        java.net.http.HttpResponse<String> second = client.send(java.net.http.HttpRequest.newBuilder(base
                .resolve("/api/v1/sweeps?limit=1")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(second.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
        assertThat(second.statusCode()).as("sweep list over HTTP/2: %s", second.body()).isEqualTo(200);
    }

    @Test
    void anUnknownPathAndAWrongMethodAreProblems() {
        given().when().get("/nothing/here").then().statusCode(404)
                .contentType(startsWith("application/problem+json"));
        given().header("Authorization", HardenedProfile.bearer()).when().put("/api/v1/sweeps").then()
                .statusCode(405).contentType(startsWith("application/problem+json"));
    }

    @Test
    void queryParametersMustBeUtf8AndKnownEvenWhereAnEndpointTakesNone() {
        given().urlEncodingEnabled(false).when().get("/api/v1/images?prompt_contains=%ED%A0%80").then()
                .statusCode(400).contentType(startsWith("application/problem+json"))
                .body("field", equalTo("prompt_contains"));
        given().when().get("/api/v1/sweeps/" + java.util.UUID.randomUUID() + "?verbose=1").then().statusCode(400)
                .body("field", equalTo("verbose"));
    }

    @Test
    void aClientThatGoesAwayMidDownloadIsNotAnError() throws Exception {
        Sweeps sweep = Sweeps.aSweep();
        var created = given().header("Authorization", HardenedProfile.bearer()).contentType("application/json")
                .body(Json.toString(sweep.build())).when().post("/api/v1/sweeps").then().statusCode(201)
                .extract().path("id").toString();
        try (var tasks = Infra.tasksOf(sweep.model())) {
            var task = Awaitility.await().atMost(Duration.ofSeconds(30)).until(tasks::poll, l -> !l.isEmpty()).get(0);
            Infra.putObject(task.outputKey(), new byte[16 * 1024 * 1024]);
            Infra.sendResult(Infra.succeeded(task, "00"));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Api.sweep(java.util.UUID.fromString(created))
                    .counts().get(ImageState.SUCCEEDED) == 1);
            try (LogCapture logs = new LogCapture()) {
                for (int i = 0; i < 3; i++) {
                    try (Socket s = new Socket("127.0.0.1", RestAssured.port)) {
                        s.getOutputStream().write(("GET /api/v1/images/" + task.imageId() + "/png HTTP/1.1\r\n"
                                + "Host: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        assertThat(s.getInputStream().readNBytes(64 * 1024)).hasSize(64 * 1024);
                        s.setSoLinger(true, 0); // reset, like a killed client
                    }
                }
                // The coordinator notices when it next writes; from then on it must say nothing above DEBUG.
                Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
                        .until(() -> logs.errors().isEmpty() && logs.lines().stream().noneMatch(l -> l.thrown() != null));
            }
        }
    }
}
