package io.sweepfarm.coordinator.support;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.sweepfarm.common.api.CreateSweepResponse;
import io.sweepfarm.common.api.SweepView;
import io.sweepfarm.common.json.Json;
import java.util.UUID;

/** REST calls the integration tests share; bodies are read with common's {@link Json#MAPPER}. */
public final class Api {

    private Api() {
    }

    public static CreateSweepResponse create(Sweeps sweep) {
        String body = given().contentType("application/json").body(Json.toString(sweep.build()))
                .when().post("/api/v1/sweeps")
                .then().statusCode(201).extract().asString();
        return Json.fromString(body, CreateSweepResponse.class);
    }

    public static SweepView sweep(UUID id) {
        return Json.fromString(given().when().get("/api/v1/sweeps/" + id).then().statusCode(200).extract().asString(),
                SweepView.class);
    }

    public static Response control(UUID id, String action) {
        return given().when().post("/api/v1/sweeps/" + id + "/" + action);
    }
}
