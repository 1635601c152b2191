package io.sweepfarm.coordinator.sweep;

import static io.restassured.RestAssured.given;
import static io.sweepfarm.coordinator.support.Sweeps.aSweep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.coordinator.support.Infra;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@QuarkusTest
@WithTestResource(DevstackTestResource.class)
@RequiresInfra
class SweepValidationTest {

    static Stream<Arguments> invalidSweeps() {
        return Stream.of(
                reject("a sweep without a model", 422, "model", b -> b.remove("model")),
                reject("a model name that cannot be a topic", 422, "model", b -> b.put("model", "My Model/v1")),
                reject("a sweep without prompts", 422, "prompts", b -> b.remove("prompts")),
                reject("an empty prompt axis", 422, "prompts", b -> b.putArray("prompts")),
                reject("an empty cfg axis", 422, "cfg_scales", b -> b.putArray("cfg_scales")),
                reject("a sweep without steps", 422, "steps", b -> b.remove("steps")),
                reject("an empty sampler axis", 422, "samplers", b -> b.putArray("samplers")),
                reject("a sweep without seeds", 422, "seeds", b -> b.remove("seeds")),
                reject("zero steps", 422, "steps[0]", b -> b.putArray("steps").add(0)),
                reject("more than 1000 steps", 422, "steps[1]", b -> b.putArray("steps").add(20).add(1001)),
                reject("a NaN cfg given as a string", 422, "cfg_scales[0]", b -> b.putArray("cfg_scales").add("NaN")),
                reject("an infinite cfg given as a string", 422, "cfg_scales[0]",
                        b -> b.putArray("cfg_scales").add("Infinity")),
                reject("a negative cfg", 422, "cfg_scales[1]", b -> b.putArray("cfg_scales").add(7).add(-1)),
                reject("a sweep without width", 422, "width", b -> b.remove("width")),
                reject("a zero height", 422, "height", b -> b.put("height", 0)),
                reject("a width that is not a multiple of 8", 422, "width", b -> b.put("width", 513)),
                reject("a height above 4096", 422, "height", b -> b.put("height", 4104)),
                reject("an unknown sampler", 422, "samplers[0]", b -> b.putArray("samplers").add("warp_drive")),
                reject("a negative seed", 422, "seeds[0]", b -> b.putArray("seeds").add(-1)),
                reject("a seed above 2^32-1", 422, "seeds[0]", b -> b.putArray("seeds").add(4294967296L)),
                reject("an unknown noise source", 422, "noise_source", b -> b.put("noise_source", "gpu_philox")),
                reject("a strength of zero", 422, "strengths[0]", b -> {
                    b.putArray("init_images").add(UPLOADED_LOOKING_KEY);
                    b.putArray("strengths").add(0.0);
                }),
                reject("a strength above one", 422, "strengths[0]", b -> {
                    b.putArray("init_images").add(UPLOADED_LOOKING_KEY);
                    b.putArray("strengths").add(1.5);
                }),
                reject("init images without strengths", 422, "strengths",
                        b -> b.putArray("init_images").add(UPLOADED_LOOKING_KEY)),
                reject("strengths without init images", 422, "init_images", b -> b.putArray("strengths").add(0.5)),
                reject("an init image that is not an uploaded input's key", 422, "init_images[0]", b -> {
                    b.putArray("init_images").add("some/where.png");
                    b.putArray("strengths").add(0.5);
                }),
                reject("an init image that was never uploaded", 422, "init_images[0]", b -> {
                    b.putArray("init_images").add(UPLOADED_LOOKING_KEY);
                    b.putArray("strengths").add(0.5);
                }),
                reject("a mask without init images", 422, "mask", b -> b.put("mask", UPLOADED_LOOKING_KEY)),
                reject("more images than a sweep may have", 422, "image_count", b -> {
                    b.putObject("seeds").put("start", 0).put("count", 2_000_000_000L);
                }),
                reject("a seed that is not a number", 422, "seeds[0]", b -> b.putArray("seeds").add("abc")),
                reject("a LoRA with an unknown field", 422, "loras[0].weight",
                        b -> b.putArray("loras").addObject().put("name", "grain").put("weight", 0.5)),
                reject("a LoRA scale given as text", 422, "loras[0].scales[0]",
                        b -> b.putArray("loras").addObject().put("name", "grain").putArray("scales").add("0.5")),
                reject("a control image that was never uploaded", 422, "controlnets[0].image",
                        b -> b.putArray("controlnets").addObject().put("model", "canny")
                                .put("image", UPLOADED_LOOKING_KEY)),
                reject("depth maps without init images", 422, "depth_maps",
                        b -> b.putArray("depth_maps").add(UPLOADED_LOOKING_KEY)),
                reject("hires with the refiner", 422, "refiner_switch_at", b -> {
                    b.putObject("hires").putArray("scales").add(2);
                    b.putArray("refiner_switch_at").add(0.8);
                }));
    }

    /** Well-formed like a key from POST /api/v1/inputs, but nothing was uploaded under it. */
    private static final String UPLOADED_LOOKING_KEY = "inputs/" + "0".repeat(64) + ".png";

    private static Arguments reject(String description, int status, String field, Consumer<ObjectNode> change) {
        ObjectNode body = Json.MAPPER.valueToTree(aSweep().build());
        change.accept(body);
        return Arguments.of(description, status, field, body.toString());
    }

    @ParameterizedTest(name = "{0} is rejected with {1} naming {2}, and nothing is stored")
    @MethodSource("invalidSweeps")
    void anInvalidSweepIsRejectedAndNothingIsStored(String description, int status, String field, String body) {
        long before = Infra.sweepRows();
        given().contentType("application/json").body(body)
                .when().post("/api/v1/sweeps")
                .then().statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("type", startsWith("https://sweepfarm.io/problems/"))
                .body("title", not(equalTo(null)))
                .body("field", equalTo(field))
                .body("errors[0].field", equalTo(field))
                .body("detail", not(containsString("java.")))
                .body("detail", not(containsString("Exception")));
        assertThat(Infra.sweepRows()).isEqualTo(before);
    }

    @org.junit.jupiter.api.Test
    void malformedJsonIsA400NamingWhereParsingStopped() {
        long before = Infra.sweepRows();
        given().contentType("application/json").body("{\"model\": \"m\", \"prompts\": [\"a\", }")
                .when().post("/api/v1/sweeps")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("field", startsWith("prompts"))
                .body("detail", containsString("line 1"));
        assertThat(Infra.sweepRows()).isEqualTo(before);
    }

    @org.junit.jupiter.api.Test
    void anEmptyBodyIsA400() {
        given().contentType("application/json").body("")
                .when().post("/api/v1/sweeps")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("body"));
    }

    @org.junit.jupiter.api.Test
    void aLiteralNanIsNotJson() {
        long before = Infra.sweepRows();
        String body = Json.MAPPER.valueToTree(aSweep().build()).toString()
                .replace("\"cfg_scales\":[7.5]", "\"cfg_scales\":[NaN]");
        given().contentType("application/json").body(body)
                .when().post("/api/v1/sweeps")
                .then().statusCode(400).contentType("application/problem+json")
                .body("field", startsWith("cfg_scales"));
        assertThat(Infra.sweepRows()).isEqualTo(before);
    }

    @org.junit.jupiter.api.Test
    void anUnknownPropertyIsRefusedNamingIt() {
        long before = Infra.sweepRows();
        ObjectNode body = Json.MAPPER.valueToTree(aSweep().build());
        body.put("negative_prompt", "blurry"); // misspelt: the axis is negative_prompts
        given().contentType("application/json").body(body.toString())
                .when().post("/api/v1/sweeps")
                .then().statusCode(422).contentType("application/problem+json")
                .body("field", equalTo("negative_prompt"))
                .body("detail", containsString("negative_prompts"));
        assertThat(Infra.sweepRows()).isEqualTo(before);
    }

    @org.junit.jupiter.api.Test
    void depthMapsAndControlImagesMustBeUploadedLikeInitImages() {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(16, 16,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        img.setRGB(3, 5, 0x336699);
        String key = given().contentType("image/png").body(io.sweepfarm.common.png.PngText.write(img,
                java.util.Map.of())).when().post("/api/v1/inputs").then().statusCode(201).extract().path("key");
        ObjectNode body = Json.MAPPER.valueToTree(aSweep().build());
        body.putArray("init_images").add(key);
        body.putArray("strengths").add(0.5);
        body.putArray("depth_maps").add(UPLOADED_LOOKING_KEY);
        body.putArray("controlnets").addObject().put("model", "canny").put("image", key);
        given().contentType("application/json").body(body.toString()).when().post("/api/v1/sweeps")
                .then().statusCode(422).body("field", equalTo("depth_maps[0]"))
                .body("errors.size()", equalTo(1));

        body.putArray("depth_maps").add(key);
        body.put("dry_run", true);
        given().contentType("application/json").body(body.toString()).when().post("/api/v1/sweeps")
                .then().statusCode(200).body("first_images[0].depth_map", equalTo(key))
                .body("first_images[0].controlnets[0].image", equalTo(key))
                .body("first_images[0].controlnets[0].model", equalTo("canny"))
                .body("first_images[0].controlnets[0].scale", equalTo(1.0f));
    }
}
