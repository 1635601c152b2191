package io.sweepfarm.coordinator.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepfarm.common.api.CreateSweepRequest;
import io.sweepfarm.common.api.LoraAxis;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepFormTest {

    @Test
    void loraHiresAndRefinerFieldsBecomeTheRequestsAxes() {
        SweepForm f = SweepForm.defaults("sdxl");
        f.loras = "add_detail: 0-1 (+0.5)\n\n  ink : 0.8, 1.2  ";
        f.hiresScales = "1.5, 2";
        f.hiresStrengths = "0.5-0.7 (+0.1)";
        f.hiresUpscaler = "lanczos";
        f.refinerSwitchAt = "0.8";

        SweepForm.Parsed parsed = f.toRequest(true);

        assertThat(parsed.errors()).isEmpty();
        CreateSweepRequest r = parsed.request();
        assertThat(r.loras()).containsExactly(new LoraAxis("add_detail", List.of(0.0, 0.5, 1.0)),
                new LoraAxis("ink", List.of(0.8, 1.2)));
        assertThat(r.hires().scales()).containsExactly(1.5, 2.0);
        assertThat(r.hires().strengths()).containsExactly(0.5, 0.6, 0.7);
        assertThat(r.hires().upscaler()).isEqualTo("lanczos");
        assertThat(r.refinerSwitchAt()).containsExactly(0.8);
    }

    @Test
    void aSweepWithoutThemHasNone() {
        CreateSweepRequest r = SweepForm.defaults("sd15").toRequest(true).request();
        assertThat(r.loras()).isNull();
        assertThat(r.hires()).isNull();
        assertThat(r.refinerSwitchAt()).isNull();
    }

    @Test
    void aLoraLineWithoutScalesIsAMistakeOnTheLorasField() {
        SweepForm f = SweepForm.defaults("sd15");
        f.loras = "add_detail";
        assertThat(f.toRequest(true).errors()).containsKey("loras");
        f.loras = "add_detail: lots";
        assertThat(f.toRequest(true).errors()).containsKey("loras");
    }
}
