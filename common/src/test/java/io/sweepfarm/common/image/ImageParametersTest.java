package io.sweepfarm.common.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepfarm.common.api.CreateSweepRequest;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.storage.ObjectMetadata;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ImageParametersTest {

    private static final ImageParameters PLAIN = new ImageParameters("sd15", "a fox", "", 7.5, 20, "euler_a", 42,
            512, 512, "torch_cpu", null, null, null, null);

    private static ImageParameters withModes(String loraName) {
        return new ImageParameters("sdxl", "a fox", "", 7.5, 20, "euler_a", 42, 1024, 1024, "nv", null, null, null,
                null, null, List.of(new LoraWeight(loraName, 0.8)),
                List.of(new ControlNetUse("canny", "inputs/" + "e".repeat(64) + ".png", 0.5, 0, 1)), 1.5, 0.45,
                "latent", 0, null);
    }

    @Test
    void anImageWithoutTheModesHasNoneOfTheirFieldsInJson() {
        String json = Json.toString(PLAIN);
        assertThat(json).doesNotContain("loras").doesNotContain("controlnets").doesNotContain("hires")
                .doesNotContain("refiner").doesNotContain("depth_map");
        assertThat(Json.fromString(json, ImageParameters.class)).isEqualTo(PLAIN);
        assertThat(Json.fromString(json, ImageParameters.class).loras()).isEmpty();
    }

    @Test
    void theModesTravelFlatInATaskAndComeBackEqual() {
        RenderTask task = new RenderTask(UUID.randomUUID(), UUID.randomUUID(), 3, 1, withModes("film-grain"), "k");
        String json = Json.toString(task);
        assertThat(json).contains("\"loras\":[{\"name\":\"film-grain\",\"scale\":0.8}]")
                .contains("\"hires_scale\":1.5").contains("\"hires_upscaler\":\"latent\"");
        assertThat(Json.fromString(json, RenderTask.class)).isEqualTo(task);
    }

    @Test
    void theBatchKeyTellsModelVariantsApart() {
        assertThat(withModes("a").batchKey()).isNotEqualTo(withModes("b").batchKey())
                .isNotEqualTo(PLAIN.batchKey());
        assertThat(withModes("a").batchKey()).isEqualTo(withModes("a").batchKey());
    }

    @Test
    void s3MetadataShowsTheModesAsShortLabelsAndHashesWhatIsNotShortAscii() {
        RenderTask task = new RenderTask(UUID.randomUUID(), UUID.randomUUID(), 3, 1, withModes("film-grain"), "k");
        Map<String, String> m = ObjectMetadata.of(task);
        assertThat(m).containsEntry("loras", "film-grain:0.8").containsEntry("controlnets", "canny:0.5:0:1")
                .containsEntry("hires-scale", "1.5").containsEntry("hires-steps", "0")
                .containsEntry("cfg-scale", "7.5").containsKey("prompt-sha256")
                .doesNotContainKey("refiner-switch-at").doesNotContainKey("depth-map");
        Map<String, String> unicode = ObjectMetadata.of(new RenderTask(task.imageId(), task.sweepId(), 3, 1,
                withModes("grain-ü"), "k"));
        assertThat(unicode.get("loras")).startsWith("sha256:").hasSize(7 + 64);
        assertThat(ObjectMetadata.of(new RenderTask(task.imageId(), task.sweepId(), 3, 1, PLAIN, "k")))
                .doesNotContainKeys("loras", "controlnets", "hires-scale");
    }

    @Test
    void aRequestWithoutTheModesIsReadAndWrittenAsBefore() {
        CreateSweepRequest r = Json.fromString("{\"model\":\"sd15\",\"prompts\":[\"a\"],\"loras\":[{\"name\":\"x\","
                + "\"scales\":[0,1]}],\"hires\":{\"scales\":[2]}}", CreateSweepRequest.class);
        assertThat(r.loras()).hasSize(1);
        assertThat(r.loras().get(0).scales()).containsExactly(0.0, 1.0);
        assertThat(r.hires().scales()).containsExactly(2.0);
        CreateSweepRequest old = new CreateSweepRequest(null, "sd15", List.of("a"), null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        assertThat(Json.toString(old)).isEqualTo("{\"model\":\"sd15\",\"prompts\":[\"a\"]}");
    }
}
