package io.sweepfarm.devstack.modelgen;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Expected bit patterns are the IEEE 754 binary16 encodings. */
class Float16Test {

    @Test
    void common_values_encode_to_their_binary16_bits() {
        assertThat(Float16.fromFloat(1f)).isEqualTo((short) 0x3C00);
        assertThat(Float16.fromFloat(-2f)).isEqualTo((short) 0xC000);
        assertThat(Float16.fromFloat(65504f)).isEqualTo((short) 0x7BFF);
        assertThat(Float16.fromFloat(0.1f)).isEqualTo((short) 0x2E66);
        assertThat(Float16.fromFloat(1e5f)).isEqualTo((short) 0x7C00);
        assertThat(Float16.fromFloat(1e-9f)).isEqualTo((short) 0);
        assertThat(Float16.fromFloat(0x1p-24f)).isEqualTo((short) 1);
    }

    @Test
    void values_round_trip_within_half_precision() {
        for (float v = -8f; v < 8f; v += 0.0371f) {
            assertThat(Float16.toFloat(Float16.fromFloat(v))).isCloseTo(v, org.assertj.core.data.Offset.offset(0.004f));
        }
    }
}
