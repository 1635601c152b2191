package io.sweepfarm.coordinator.hostile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sweepfarm.common.api.SweepView;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.storage.ObjectKeys;
import io.sweepfarm.coordinator.hostile.HostileCases.Hostile;
import io.sweepfarm.coordinator.support.HardenedProfile;
import io.sweepfarm.coordinator.support.Images;
import io.sweepfarm.coordinator.support.Infra;
import io.sweepfarm.coordinator.support.RawHttp;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile requests against every endpoint ({@link HostileCases}): each must be refused with the expected 4xx (never a
 * 5xx), as {@code application/problem+json} naming the offending field or parameter where there is one, and must
 * leave the database (sweeps, their state and priority, tasks, images) and the bucket exactly as they were. Runs as
 * production does, with API keys on; the requests carry a valid key unless a case is about keys.
 */
@QuarkusTest
@TestProfile(HardenedProfile.class)
@WithTestResource(DevstackTestResource.class)
@RequiresInfra
class HostileRequestsTest {

    /** What the suite attacks, and the state that must not change. */
    record Fixture(String sweep, String image, String input, State baseline) {
    }

    /**
     * The stored state refused requests must leave alone: every sweep, task and image row, and the objects a request
     * can write (uploads under {@code inputs/}, and anything under the attacked sweep's prefix, thumbnails included;
     * listing the whole bucket, which other tests fill, per case would take minutes).
     */
    record State(String sweeps, long tasks, long images, long objects) {
        static State now(String sweep) {
            return new State(Infra.queryString("select count(*) || ':' || coalesce(md5(string_agg(id::text || state "
                    + "|| priority || release_cursor || updated_at::text, ',' order by id)), '') from sweep"),
                    Infra.queryLong("select count(*) from task"), Infra.queryLong("select count(*) from image"),
                    Infra.objectCount("inputs/")
                            + Infra.objectCount(ObjectKeys.sweepPrefix(java.util.UUID.fromString(sweep))));
        }
    }

    private static Fixture fixture;

    /** Requests the HTTP decoder itself refuses. */
    private static final java.util.Set<String> UNPARSEABLE = java.util.Set.of("negative Content-Length");

    static Stream<Hostile> cases() {
        return HostileCases.all().stream();
    }

    private static synchronized Fixture fixture() {
        if (fixture != null) {
            return fixture;
        }
        String input = given().header("Authorization", HardenedProfile.bearer()).contentType("image/png")
                .body(Images.png(16, 16)).when().post("/api/v1/inputs").then().statusCode(201).extract().path("key");
        String sweep = given().header("Authorization", HardenedProfile.bearer()).header("Idempotency-Key",
                "hostile-suite-key").contentType("application/json").body(Json.toString(HostileCases.baseSweep()))
                .when().post("/api/v1/sweeps").then().statusCode(201).extract().path("id");
        // Nothing may change in the background while the suite compares: no sweep may be running.
        for (String state : List.of("RUNNING", "PAUSED")) {
            SweepView[] views = Json.fromString(given().when().get("/api/v1/sweeps?limit=1000&state=" + state)
                    .then().statusCode(200).extract().asString(), SweepView[].class);
            for (SweepView v : views) {
                String action = v.id().toString().equals(sweep) ? "pause" : "cancel";
                if (!(action.equals("pause") && state.equals("PAUSED"))) {
                    given().header("Authorization", HardenedProfile.bearer()).when()
                            .post("/api/v1/sweeps/" + v.id() + "/" + action).then().statusCode(200);
                }
            }
        }
        String image = given().when().get("/api/v1/images?limit=1&sweep_id=" + sweep).then().statusCode(200)
                .extract().path("items[0].id");
        State[] last = {State.now(sweep)};
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            State now = State.now(sweep);
            boolean same = now.equals(last[0]);
            last[0] = now;
            return same;
        });
        fixture = new Fixture(sweep, image, input, last[0]);
        return fixture;
    }

    @Test
    void theSuiteCoversAtLeast250Cases() {
        assertThat(HostileCases.all()).hasSizeGreaterThanOrEqualTo(250);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedAsAProblemNamingTheFieldAndChangesNothing(Hostile h) {
        Fixture f = fixture();
        RawHttp.Response r = RawHttp.send(head(h, f), body(h, f));
        assertThat(r.status()).as("status of %s; body %s", h, r.body()).isEqualTo(h.status());
        if (UNPARSEABLE.contains(h.name())) {
            // Vert.x refuses a request its HTTP decoder cannot read with a bare 400 before any handler runs (Quarkus
            // offers no hook for it): a 4xx, never a 5xx, but not a problem document.
            assertThat(State.now(f.sweep())).as("stored state after %s", h).isEqualTo(f.baseline());
            return;
        }
        assertThat(r.header("Content-Type")).as("content type of %s", h).startsWith("application/problem+json");
        @SuppressWarnings("unchecked")
        Map<String, Object> problem = Json.fromString(r.body(), Map.class);
        assertThat(problem).as("problem of %s", h).containsEntry("status", h.status()).containsKey("detail");
        if (h.field() != null) {
            assertThat(problem.get("field")).as("field named by %s: %s", h, r.body()).isEqualTo(h.field());
        }
        assertThat(State.now(f.sweep())).as("stored state after %s", h).isEqualTo(f.baseline());
    }

    private static String head(Hostile h, Fixture f) {
        String version = h.headers().contains("HTTP/1.0") ? "HTTP/1.0" : "HTTP/1.1";
        StringBuilder sb = new StringBuilder(h.method()).append(' ').append(fill(h.target(), f)).append(' ')
                .append(version).append("\r\n");
        if (!h.headers().contains("NO-HOST")) {
            sb.append("Host: localhost\r\n");
        }
        if (!h.headers().contains("NO-AUTH")) {
            sb.append("Authorization: ").append(HardenedProfile.bearer()).append("\r\n");
        }
        boolean length = false;
        for (String header : h.headers()) {
            if (!header.equals("NO-HOST") && !header.equals("NO-AUTH") && !header.equals("HTTP/1.0")) {
                sb.append(header).append("\r\n");
                length |= header.startsWith("Content-Length:") || header.startsWith("Transfer-Encoding:");
            }
        }
        byte[] body = body(h, f);
        if (!length && body != null) {
            sb.append("Content-Length: ").append(body.length).append("\r\n");
        }
        return sb.append("Connection: close\r\n\r\n").toString();
    }

    private static byte[] body(Hostile h, Fixture f) {
        if (h.body() == null) {
            return null;
        }
        String text = new String(h.body(), StandardCharsets.ISO_8859_1);
        if (!text.contains("{input}")) {
            return h.body();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(text.replace("{input}", f.input()).getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    private static String fill(String target, Fixture f) {
        return target.replace("{sweep}", f.sweep()).replace("{image}", f.image());
    }
}
