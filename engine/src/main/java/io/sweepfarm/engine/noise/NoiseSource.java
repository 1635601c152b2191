package io.sweepfarm.engine.noise;

/**
 * A family of seeded normal generators, identified by the id a task names ({@code torch_cpu}, ...).
 * Implementations are stateless and thread-safe; the generators they make are not.
 */
public interface NoiseSource {

    /** The id used in tasks and in image metadata, e.g. {@code torch_cpu}. */
    String id();

    /** A fresh generator seeded with {@code seed}, positioned at the start of its stream. */
    NoiseGenerator generator(long seed);
}
