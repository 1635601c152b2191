package io.sweepfarm.common.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalInstantsTest {

    /** Jackson's own reading, which the fast path must agree with. */
    private static final ObjectMapper JACKSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    record Stamp(Instant at) {
    }

    @Test
    void readsWhatInstantToStringWritesExactlyAsJacksonDoes() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            long seconds = random.nextLong(-62_135_596_800L, 253_402_300_799L); // years 0001..9999
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant at = Instant.ofEpochSecond(seconds, nanos);
            String text = at.toString();
            assertThat(CanonicalInstants.parse(text)).as(text).isEqualTo(at);
            String json = "{\"at\":\"" + text + "\"}";
            assertThat(Json.fromString(json, Stamp.class).at()).isEqualTo(JACKSON.readValue(json, Stamp.class).at());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-30T23:12:33+01:00", "2026-11-30T23:12:33.5+00:00", "2026-11-30 23:12:33Z",
            "+12026-11-30T23:12:33Z", "2026-11-30T23:12Z", "2026-11-30T23:12:33.Z", "2026-11-30T23:12:33.1234567890Z",
            "2026-02-30T23:12:33Z", "2026-11-30T24:00:00Z", "2026-11-30T23:12:60Z", "2026-1x-30T23:12:33Z",
            "2026-11-30t23:12:33z"})
    void leavesEveryOtherFormToJackson(String text) throws Exception {
        assertThat(CanonicalInstants.parse(text)).isNull();
        String json = "{\"at\":\"" + text + "\"}";
        Instant jackson;
        try {
            jackson = JACKSON.readValue(json, Stamp.class).at();
        } catch (Exception e) {
            assertThatThrownBy(() -> Json.fromString(json, Stamp.class)).isInstanceOf(RuntimeException.class);
            return;
        }
        assertThat(Json.fromString(json, Stamp.class).at()).isEqualTo(jackson);
    }

    @Test
    void numbersStillReadAsJacksonReadsThem() throws Exception {
        String json = "{\"at\":1700000000.5}";
        assertThat(Json.fromString(json, Stamp.class).at()).isEqualTo(JACKSON.readValue(json, Stamp.class).at())
                .isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 500_000_000));
    }
}
