package io.sweepfarm.common.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class ObjectKeysTest {

    private static final UUID SWEEP = UUID.fromString("0b7e4c1a-5f7e-4c59-9f5e-2a8d6a1c0e11");
    private static final UUID IMAGE = UUID.fromString("9d1f8c2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f");

    @Test
    void ordinalsAreZeroPaddedToNineDigitsSoKeysSortByOrdinal() {
        assertThat(ObjectKeys.image(SWEEP, 0, IMAGE)).isEqualTo("sweeps/" + SWEEP + "/images/000000000-" + IMAGE
                + ".png");
        assertThat(ObjectKeys.image(SWEEP, 4217, IMAGE)).isEqualTo("sweeps/" + SWEEP + "/images/000004217-" + IMAGE
                + ".png");
        assertThat(ObjectKeys.thumbnail(SWEEP, 999_999_999, IMAGE)).isEqualTo("sweeps/" + SWEEP
                + "/thumbs/999999999-" + IMAGE + ".jpg");
        assertThat(ObjectKeys.image(SWEEP, 12_345_678_901L, IMAGE)).isEqualTo("sweeps/" + SWEEP
                + "/images/12345678901-" + IMAGE + ".png");
    }

    @Test
    void keysAreThoseOfTheFormatStoredObjectsWereWrittenUnder() {
        for (long ordinal : new long[] {1, 9, 10, 99_999, 100_000_000, 1_000_000_000, Long.MAX_VALUE}) {
            assertThat(ObjectKeys.image(SWEEP, ordinal, IMAGE)).isEqualTo(
                    String.format("sweeps/%s/images/%09d-%s.png", SWEEP, ordinal, IMAGE));
        }
    }
}
