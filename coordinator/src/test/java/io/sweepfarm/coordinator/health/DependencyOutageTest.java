package io.sweepfarm.coordinator.health;

import static io.restassured.RestAssured.given;
import static io.sweepfarm.coordinator.support.Sweeps.aSweep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.png.PngText;
import io.sweepfarm.coordinator.support.Api;
import io.sweepfarm.coordinator.support.LogCapture;
import io.sweepfarm.coordinator.support.ProxiedDevstack;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The database and S3 cut (through {@link ProxiedDevstack}'s proxies) while the API is used. */
@QuarkusTest
@WithTestResource(ProxiedDevstack.class)
@RequiresInfra
class DependencyOutageTest {

    private static void assertUnavailable(Supplier<RequestSpecification> request, String method, String path,
            String dependency) {
        request.get().when().request(method, path).then().statusCode(503)
                .contentType(startsWith("application/problem+json")).header("Retry-After", "5")
                .body("dependency", equalTo(dependency)).body("detail", containsString("is unreachable; retry later"));
    }

    @Test
    void whileTheDatabaseIsDownRequestsAnswer503NamingItAndTheOutageIsLoggedOnceWithItsEnd() {
        String sweep = Json.toString(aSweep().build());
        String id = Api.create(aSweep()).id().toString();
        try (LogCapture logs = new LogCapture()) {
            ProxiedDevstack.database().accept(false);
            try {
                for (int i = 0; i < 3; i++) {
                    assertUnavailable(() -> given(), "GET", "/api/v1/sweeps/" + id, "database");
                }
                assertUnavailable(() -> given(), "GET", "/api/v1/sweeps", "database");
                assertUnavailable(() -> given(), "GET", "/api/v1/images?sweep_id=" + id, "database");
                assertUnavailable(() -> given().contentType("application/json").body(sweep), "POST",
                        "/api/v1/sweeps", "database");
                assertUnavailable(() -> given(), "POST", "/api/v1/sweeps/" + id + "/pause", "database");
                assertThat(logs.count("The database is unreachable (")).isEqualTo(1);
            } finally {
                ProxiedDevstack.database().accept(true);
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    given().when().get("/api/v1/sweeps/" + id).then().statusCode(200));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    logs.count("The database is reachable again") == 1);
            given().contentType("application/json").body(sweep).when().post("/api/v1/sweeps").then().statusCode(201);
        }
    }

    @Test
    void whileS3IsDownUploadsAnswer503NamingTheStorage() {
        byte[] png = PngText.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), Map.of("n", "outage"));
        try (LogCapture logs = new LogCapture()) {
            ProxiedDevstack.storage().accept(false);
            try {
                assertUnavailable(() -> given().contentType("image/png").body(png), "POST", "/api/v1/inputs",
                        "storage");
                assertUnavailable(() -> given().contentType("image/png").body(png), "POST", "/api/v1/inputs",
                        "storage");
                assertThat(logs.count("The image storage (S3) is unreachable (")).isEqualTo(1);
            } finally {
                ProxiedDevstack.storage().accept(true);
            }
            given().contentType("image/png").body(png).when().post("/api/v1/inputs").then().statusCode(201);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    logs.count("The image storage (S3) is reachable again") == 1);
        }
    }

    @Test
    void livenessFollowsTheResultsConsumer() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("results-consumer"));
    }
}
