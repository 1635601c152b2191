package io.sweepfarm.engine.noise;

import java.util.List;

/** The noise sources this engine knows, by id. */
public final class NoiseSources {

    /** The id of the source used when a request names none. */
    public static final String DEFAULT_ID = TorchCpuNoise.ID;

    private static final List<NoiseSource> ALL = List.of(TorchCpuNoise.INSTANCE, PhiloxNoise.INSTANCE);

    private NoiseSources() {
    }

    /** The source with {@code id}; {@code null} selects the default, {@value #DEFAULT_ID}. */
    public static NoiseSource byId(String id) {
        String wanted = id == null ? DEFAULT_ID : id;
        return ALL.stream().filter(s -> s.id().equals(wanted)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown noise source '" + id + "'; the engine knows: " + ids()));
    }

    /** Comma-separated ids of every source, for messages. */
    public static String ids() {
        return String.join(", ", ALL.stream().map(NoiseSource::id).toList());
    }
}
