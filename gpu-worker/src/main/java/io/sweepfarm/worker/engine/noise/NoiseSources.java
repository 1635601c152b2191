package io.sweepfarm.worker.engine.noise;

import java.util.List;

/** The noise sources this engine knows, by id. */
public final class NoiseSources {

    private static final List<NoiseSource> ALL = List.of(TorchCpuNoise.INSTANCE);

    private NoiseSources() {
    }

    /** The source with {@code id}; {@code null} selects the default, {@code torch_cpu}. */
    public static NoiseSource byId(String id) {
        if (id == null) {
            return TorchCpuNoise.INSTANCE;
        }
        return ALL.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "unknown noise source '" + id + "'; this worker knows: torch_cpu"));
    }
}
