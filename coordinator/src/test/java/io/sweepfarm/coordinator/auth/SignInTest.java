package io.sweepfarm.coordinator.auth;

import static io.restassured.RestAssured.given;
import static io.sweepfarm.coordinator.support.Sweeps.aSweep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.coordinator.support.HardenedProfile;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import org.junit.jupiter.api.Test;

/** The web UI with API keys on: a browser without a session is sent to sign in, and back where it was. */
@QuarkusTest
@TestProfile(HardenedProfile.class)
@WithTestResource(DevstackTestResource.class)
@RequiresInfra
class SignInTest {

    private String sweep() {
        return given().header("Authorization", HardenedProfile.bearer()).contentType("application/json")
                .body(Json.toString(aSweep().build())).when().post("/api/v1/sweeps").then().statusCode(201).extract()
                .path("id");
    }

    @Test
    void aControlWithoutASessionGoesToSignInAndChangesNothing() {
        String id = sweep();
        given().redirects().follow(false).header("Referer", "http://localhost/sweeps/" + id).formParam("x", "1")
                .when().post("/sweeps/" + id + "/pause").then().statusCode(303)
                .header("Location", containsString("/signin?next=%2Fsweeps%2F" + id));
        given().redirects().follow(false).header("HX-Request", "true").formParam("x", "1").when()
                .post("/sweeps/" + id + "/pause").then().statusCode(401).header("HX-Redirect", "/signin?next=%2F");
        given().when().get("/api/v1/sweeps/" + id).then().body("state", equalTo("RUNNING"));
        given().redirects().follow(false).when().get("/sweeps/new").then().statusCode(303)
                .header("Location", containsString("/signin?next=/sweeps/new"));
    }

    @Test
    void signingInSetsTheSessionCookieAndGoesBackOnlyToALocalPage() {
        given().when().get("/signin?next=/images").then().statusCode(200)
                .body(containsString("name=\"api_key\""), containsString("value=\"/images\""));
        given().redirects().follow(false).formParam("api_key", "sf_wrong").formParam("next", "/images").when()
                .post("/signin").then().statusCode(401).body(containsString("not a valid API key"));
        Response ok = given().redirects().follow(false).formParam("api_key", HardenedProfile.KEY)
                .formParam("next", "https://evil.example/").when().post("/signin");
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(ok.header("Location")).endsWith("/").doesNotContain("evil");
        assertThat(ok.header("Set-Cookie")).contains(AccessGuard.COOKIE + "=").containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Strict");

        String id = sweep();
        given().redirects().follow(false).cookie(AccessGuard.COOKIE, HardenedProfile.KEY)
                .header("Origin", "http://localhost:" + io.restassured.RestAssured.port).formParam("x", "1").when()
                .post("/sweeps/" + id + "/pause").then().statusCode(303);
        given().when().get("/api/v1/sweeps/" + id).then().body("state", equalTo("PAUSED"));
        given().redirects().follow(false).cookie(AccessGuard.COOKIE, HardenedProfile.KEY).when().get("/sweeps/new")
                .then().statusCode(200);
    }
}
