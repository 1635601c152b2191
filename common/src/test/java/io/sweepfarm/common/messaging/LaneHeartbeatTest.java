package io.sweepfarm.common.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepfarm.common.api.LaneState;
import io.sweepfarm.common.json.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LaneHeartbeatTest {

    private static LaneHeartbeat withError(String error) {
        return new LaneHeartbeat("w", "w/cuda:0", "host", "sd15", "cuda:0", LaneState.FAILED, 0, 0, 0, error,
                "0.1.0", Instant.parse("2026-11-30T10:00:00Z"));
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
}
