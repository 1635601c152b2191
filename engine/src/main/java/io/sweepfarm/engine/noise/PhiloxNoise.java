package io.sweepfarm.engine.noise;

/**
 * The {@code nv} noise source: AUTOMATIC1111's "NV" random number source ({@code RNG: NV} in its infotext), which
 * reproduces on any device the noise A1111 users get from NVIDIA GPUs, so seeds from those runs render the same
 * starting latents here. See {@link PhiloxGenerator}. Stateless and thread-safe.
 */
public final class PhiloxNoise implements NoiseSource {

    /** The id tasks and image metadata use for this source. */
    public static final String ID = "nv";

    /** The single instance. */
    public static final PhiloxNoise INSTANCE = new PhiloxNoise();

    private PhiloxNoise() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public PhiloxGenerator generator(long seed) {
        return new PhiloxGenerator(seed);
    }
}
