package io.sweepfarm.coordinator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(DevstackTestResource.class)
@RequiresInfra
class HealthAndErrorsTest {

    @Test
    void theCoordinatorIsReadyWhenDatabaseKafkaAndTheBucketAnswer() {
        given().when().get("/q/health/ready")
                .then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("s3-image-bucket"));
    }

    @Test
    void anUnknownRouteIsAProblemDocument() {
        given().when().get("/api/v1/nothing-here")
                .then().statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
    }

    @Test
    void aWrongMethodIsAProblemDocument() {
        given().when().delete("/api/v1/sweeps")
                .then().statusCode(405).contentType("application/problem+json");
    }
}
