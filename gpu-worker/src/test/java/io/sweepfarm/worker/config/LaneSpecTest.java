package io.sweepfarm.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LaneSpecTest {

    private static final Path SD15 = Path.of("/models/sd15");
    private static final Path SD21 = Path.of("/models/sd21");

    @Test
    void withoutLanesTheWorkerRunsTheSingleLaneModelAtDevice() {
        assertThat(LaneSpec.of(Optional.of("sd15"), Optional.of(SD15), Optional.of("cuda:0"), Optional.empty(), Map.of()))
                .containsExactly(new LaneSpec(1, "sd15", SD15, "cuda:0"));
    }

    @Test
    void lanesPinEachModelToItsDeviceAndFindTheirFolders() {
        List<LaneSpec> lanes = LaneSpec.of(Optional.of("sd15"), Optional.of(SD15), Optional.empty(),
                Optional.of(List.of("sd15@cuda:0", "sd15@cuda:1", "sd21@cuda:2")), Map.of("sd21", SD21));
        assertThat(lanes).containsExactly(new LaneSpec(1, "sd15", SD15, "cuda:0"),
                new LaneSpec(2, "sd15", SD15, "cuda:1"), new LaneSpec(3, "sd21", SD21, "cuda:2"));
        assertThat(lanes.get(1).id("host-7", 3)).isEqualTo("host-7/cuda:1#2");
        assertThat(lanes.get(0).id("host-7", 1)).isEqualTo("host-7/cuda:0");
    }

    @Test
    void aMissingDeviceModelFolderOrMalformedLaneIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> LaneSpec.of(Optional.of("sd15"), Optional.of(SD15), Optional.empty(),
                Optional.empty(), Map.of())).hasMessageContaining("sweepfarm.worker.device is not set");
        assertThatThrownBy(() -> LaneSpec.of(Optional.empty(), Optional.empty(), Optional.of("cpu"),
                Optional.empty(), Map.of())).hasMessageContaining("sweepfarm.worker.model is not set");
        assertThatThrownBy(() -> LaneSpec.of(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(List.of("sd21@cuda:0")), Map.of())).hasMessageContaining("model-paths.sd21");
        assertThatThrownBy(() -> LaneSpec.of(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(List.of("cuda:0")), Map.of())).hasMessageContaining("is not model@device");
    }

    @Test
    void eachLaneFindsItsRefinerControlNetAndLoraFoldersByModelOrAsTheSingleLanesModel() {
        Path refiner = Path.of("/models/sdxl-refiner");
        Path nets = Path.of("/models/controlnets");
        Path loras = Path.of("/models/loras");
        Path xlLoras = Path.of("/models/xl-loras");
        LaneSpec.Extras extras = new LaneSpec.Extras(Optional.empty(), Map.of("sdxl", refiner), Optional.of(nets),
                Map.of(), Optional.of(loras), Map.of("sdxl", xlLoras), 3);
        List<LaneSpec> lanes = LaneSpec.of(Optional.of("sd15"), Optional.of(SD15), Optional.empty(),
                Optional.of(List.of("sd15@cuda:0", "sdxl@cuda:1")), Map.of("sdxl", SD21), extras);
        assertThat(lanes.get(0)).isEqualTo(new LaneSpec(1, "sd15", SD15, "cuda:0", null, nets, loras, 3));
        assertThat(lanes.get(1)).isEqualTo(new LaneSpec(2, "sdxl", SD21, "cuda:1", refiner, null, xlLoras, 3));
        assertThat(lanes.get(1).engine()).isEqualTo(io.sweepfarm.engine.EngineConfig.of(SD21).withRefiner(refiner)
                .withLoras(xlLoras, 3));
        assertThatThrownBy(() -> LaneSpec.of(Optional.of("sd15"), Optional.of(SD15), Optional.of("cpu"),
                Optional.empty(), Map.of(), new LaneSpec.Extras(Optional.empty(), Map.of(), Optional.empty(),
                        Map.of(), Optional.empty(), Map.of(), 0))).hasMessageContaining("lora-cache-size");
    }
}
