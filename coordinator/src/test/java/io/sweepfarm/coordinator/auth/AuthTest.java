package io.sweepfarm.coordinator.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.coordinator.support.HardenedProfile;
import io.sweepfarm.coordinator.support.Infra;
import io.sweepfarm.coordinator.support.LogCapture;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import org.junit.jupiter.api.Test;

import static io.sweepfarm.coordinator.support.Sweeps.aSweep;

@QuarkusTest
@TestProfile(HardenedProfile.class)
@WithTestResource(DevstackTestResource.class)
@RequiresInfra
class AuthTest {

    private static final String SWEEP = Json.toString(aSweep().build());

    @Test
    void aWriteWithoutAValidKeyIsA401ProblemAndStoresNothing() {
        long before = Infra.sweepRows();
        given().contentType("application/json").body(SWEEP).when().post("/api/v1/sweeps")
                .then().statusCode(401).contentType(startsWith("application/problem+json"))
                .header("WWW-Authenticate", startsWith("Bearer")).body("field", equalTo("Authorization"));
        given().header("Authorization", "Bearer sf_not-a-key").contentType("application/json").body(SWEEP)
                .when().post("/api/v1/sweeps").then().statusCode(401);
        given().header("Authorization", "Basic " + HardenedProfile.KEY).contentType("application/json").body(SWEEP)
                .when().post("/api/v1/sweeps").then().statusCode(401);
        given().contentType("image/png").body(new byte[] {1, 2, 3}).when().post("/api/v1/inputs")
                .then().statusCode(401);
        given().contentType("application/json").body("{\"priority\": 1}").when()
                .patch("/api/v1/sweeps/" + java.util.UUID.randomUUID()).then().statusCode(401);
        assertThat(Infra.sweepRows()).isEqualTo(before);
    }

    @Test
    void eitherConfiguredKeyMayWriteAndReadsStayOpen() {
        String id = given().header("Authorization", HardenedProfile.bearer()).contentType("application/json")
                .body(SWEEP).when().post("/api/v1/sweeps").then().statusCode(201).extract().path("id");
        given().header("Authorization", "bearer " + HardenedProfile.OTHER_KEY).when()
                .post("/api/v1/sweeps/" + id + "/pause").then().statusCode(200).body("state", equalTo("PAUSED"));
        given().when().get("/api/v1/sweeps/" + id).then().statusCode(200);
        given().when().get("/api/v1/images?sweep_id=" + id).then().statusCode(200);
    }

    @Test
    void aBrowserSessionHoldsTheKeyInAnHttpOnlyStrictCookie() {
        given().when().get("/api/v1/session").then().statusCode(200).body("writes_need_key", equalTo(true))
                .body("reads_need_key", equalTo(false)).body("key_name", nullValue());
        Response login = given().contentType("application/json")
                .body("{\"api_key\": \"" + HardenedProfile.KEY + "\"}").when().post("/api/v1/session");
        assertThat(login.statusCode()).isEqualTo(204);
        String setCookie = login.header("Set-Cookie");
        assertThat(setCookie).startsWith(AccessGuard.COOKIE + "=").containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Strict").contains("Path=/");
        String cookie = login.cookie(AccessGuard.COOKIE);

        given().cookie(AccessGuard.COOKIE, cookie).when().get("/api/v1/session").then()
                .body("key_name", equalTo("tests"));
        given().cookie(AccessGuard.COOKIE, cookie).contentType("application/json").body(SWEEP).when()
                .post("/api/v1/sweeps").then().statusCode(201);
        // Another site's page cannot use the browser's cookie.
        given().cookie(AccessGuard.COOKIE, cookie).header("Origin", "https://evil.example").contentType(
                "application/json").body(SWEEP).when().post("/api/v1/sweeps").then().statusCode(403)
                .contentType(startsWith("application/problem+json")).body("field", equalTo("Origin"));

        String cleared = given().when().delete("/api/v1/session").then().statusCode(204).extract()
                .header("Set-Cookie");
        assertThat(cleared).startsWith(AccessGuard.COOKIE + "=").contains("Max-Age=0");
    }

    @Test
    void aWrongOrMalformedLoginIsRefusedWithoutEchoingWhatWasSent() {
        given().contentType("application/json").body("{\"api_key\": \"sf_wrong-secret-value\"}").when()
                .post("/api/v1/session").then().statusCode(401).body("field", equalTo("api_key"))
                .header("Set-Cookie", nullValue());
        String body = given().contentType("application/json").body("{\"api_key\": sf_unquoted-secret-value}")
                .when().post("/api/v1/session").then().statusCode(400).body("field", equalTo("body")).extract()
                .asString();
        assertThat(body).doesNotContain("secret");
        body = given().contentType("application/json").body("{\"apikey\": \"sf_misnamed-secret-value\"}")
                .when().post("/api/v1/session").then().statusCode(400).extract().asString();
        assertThat(body).doesNotContain("secret");
    }

    @Test
    void keysNeverReachTheLogs() {
        try (LogCapture logs = new LogCapture()) {
            given().header("Authorization", HardenedProfile.bearer()).contentType("application/json").body(SWEEP)
                    .when().post("/api/v1/sweeps").then().statusCode(201);
            given().header("Authorization", "Bearer sf_wrong-secret-value").contentType("application/json")
                    .body(SWEEP).when().post("/api/v1/sweeps").then().statusCode(401);
            given().contentType("application/json").body("{\"api_key\": \"" + HardenedProfile.KEY + "\"}").when()
                    .post("/api/v1/session").then().statusCode(204);
            assertThat(logs.lines()).isNotEmpty()
                    .noneMatch(l -> l.message().contains(HardenedProfile.KEY) || l.message().contains("wrong-secret"));
        }
    }
}
