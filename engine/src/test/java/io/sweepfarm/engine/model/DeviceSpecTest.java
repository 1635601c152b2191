package io.sweepfarm.engine.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceSpecTest {

    @Test
    void cpu_and_cuda_devices_parse() {
        assertThat(DeviceSpec.parse("cpu")).isEqualTo(DeviceSpec.CPU);
        assertThat(DeviceSpec.parse(" CPU ")).isEqualTo(DeviceSpec.CPU);
        assertThat(DeviceSpec.parse("cuda:0")).isEqualTo(DeviceSpec.cuda(0));
        assertThat(DeviceSpec.parse("CUDA:3").deviceId()).isEqualTo(3);
        assertThat(DeviceSpec.parse("cuda:1").isCuda()).isTrue();
    }

    @Test
    void a_device_prints_as_it_is_configured() {
        assertThat(DeviceSpec.cuda(2)).hasToString("cuda:2");
        assertThat(DeviceSpec.CPU).hasToString("cpu");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "gpu", "cuda", "cuda:", "cuda:-1", "cuda:x", "cuda0", "cpu:0", "rocm:0", "cuda:1,cuda:2"})
    void anything_else_is_rejected_with_the_accepted_forms(String text) {
        assertThatThrownBy(() -> DeviceSpec.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'cpu' or 'cuda:N'");
    }

    @Test
    void a_missing_device_is_rejected() {
        assertThatThrownBy(() -> DeviceSpec.parse(null)).hasMessageContaining("'cpu' or 'cuda:N'");
    }
}
