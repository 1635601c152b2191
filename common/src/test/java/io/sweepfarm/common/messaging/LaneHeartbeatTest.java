package io.sweepfarm.common.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepfarm.common.api.LaneAddons;
import io.sweepfarm.common.api.LaneState;
import io.sweepfarm.common.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LaneHeartbeatTest {

    private static LaneHeartbeat withError(String error) {
        return new LaneHeartbeat("w", "w/cuda:0", "host", "sd15", "cuda:0", LaneState.FAILED, 0, 0, 0, error,
                "0.1.0", Instant.parse("2026-11-30T10:00:00Z"), null);
    }

    @Test
    void theLastErrorIsBoundedAndItsControlCharactersAreEscaped() {
        LaneHeartbeat h = withError("CUDA failed\n\u001b[31mred\u0007" + "x".repeat(2000));
        assertThat(h.lastError()).startsWith("CUDA failed\\n\\u001b[31mred\\u0007x").endsWith("…")
                .hasSize(LaneHeartbeat.MAX_ERROR_LENGTH).doesNotContain("\n", "\u001b", "\u0007");
    }

    @Test
    void aShortErrorIsKeptAsItIsAndNoErrorStaysNull() {
        assertThat(withError("model folder /models/sd15 has no unet/").lastError())
                .isEqualTo("model folder /models/sd15 has no unet/");
        assertThat(withError("e".repeat(LaneHeartbeat.MAX_ERROR_LENGTH)).lastError()).doesNotEndWith("…");
        assertThat(withError(null).lastError()).isNull();
    }

    @Test
    void aHeartbeatReadFromKafkaIsBoundedToo() {
        String json = Json.toString(withError("short")).replace("\"short\"", "\"" + "y".repeat(5000) + "\"");
        assertThat(Json.fromString(json, LaneHeartbeat.class).lastError()).hasSize(LaneHeartbeat.MAX_ERROR_LENGTH);
    }

    @Test
    void itTravelsAsSnakeCaseJson() {
        String json = Json.toString(withError(null));
        assertThat(json).contains("\"lane_id\":\"w/cuda:0\"", "\"state\":\"FAILED\"", "\"images_per_second\":0.0")
                .doesNotContain("last_error");
        assertThat(Json.fromString(json, LaneHeartbeat.class)).isEqualTo(withError(null));
    }

    @Test
    void aLanesAddonsTravelWithItsHeartbeatSortedAndWithoutDuplicates() {
        LaneAddons addons = new LaneAddons(List.of("ink", "film-grain", "ink"), List.of("canny"), "sdxl-refiner",
                false, false);
        LaneHeartbeat h = new LaneHeartbeat("w", "w/cuda:0", "host", "sdxl", "cuda:0", LaneState.IDLE, 0, 0, 0, null,
                "0.1.0", Instant.parse("2026-11-30T10:00:00Z"), addons);
        String json = Json.toString(h);
        assertThat(json).contains("\"addons\":{\"loras\":[\"film-grain\",\"ink\"],\"controlnets\":[\"canny\"],"
                + "\"refiner\":\"sdxl-refiner\",\"depth\":false,\"inpainting\":false}");
        LaneHeartbeat read = Json.fromString(json, LaneHeartbeat.class);
        assertThat(read).isEqualTo(h);
        assertThat(read.addons().hasLora("ink")).isTrue();
        assertThat(read.addons().hasControlNet("depth")).isFalse();
        assertThat(read.addons().summary()).isEqualTo("LoRAs: film-grain, ink; ControlNets: canny; refiner: "
                + "sdxl-refiner");
    }

    @Test
    void aHeartbeatOfAnOlderWorkerWithoutAddonsStillParses() {
        String old = "{\"worker_id\":\"w\",\"lane_id\":\"w/cpu\",\"host\":\"h\",\"model\":\"sd15\","
                + "\"device\":\"cpu\",\"state\":\"IDLE\",\"images_per_second\":0.5,\"mean_step_millis\":12.0,"
                + "\"batch_size\":2,\"version\":\"0.1.0\",\"sent_at\":\"2026-11-30T10:00:00Z\"}";
        LaneHeartbeat h = Json.fromString(old, LaneHeartbeat.class);
        assertThat(h.model()).isEqualTo("sd15");
        assertThat(h.state()).isEqualTo(LaneState.IDLE);
        assertThat(h.addons()).isNull();
    }

    @Test
    void aFolderWithMoreNamesThanAHeartbeatListsIsAnnouncedAsUnknownRatherThanCut() {
        List<String> many = IntStream.range(0, LaneAddons.MAX_LISTED + 1).mapToObj(i -> "lora-" + i).toList();
        LaneAddons addons = new LaneAddons(many, List.of(), null, true, false);
        assertThat(addons.loras()).isNull();
        assertThat(addons.hasLora("lora-1")).isNull();
        assertThat(addons.controlnets()).isEmpty();
        assertThat(addons.summary()).isEqualTo("LoRAs: more than " + LaneAddons.MAX_LISTED + "; depth model");
        assertThat(Json.fromString(Json.toString(addons), LaneAddons.class)).isEqualTo(addons);
    }
}
