package io.sweepfarm.engine.noise;

/**
 * A seeded stream of standard normal samples. One generator belongs to one image; it is not thread-safe.
 *
 * <p>Each call is one draw of a whole tensor: {@code randn(out, off, n)} fills {@code out[off, off+n)} exactly as
 * the generator's reference would fill a fresh contiguous tensor of {@code n} elements (for {@link TorchCpuNoise}:
 * {@code torch.randn(n, generator=g)}). Successive calls continue the same stream, so the values of a call
 * depend on the sizes of the calls before it, as they do in torch.
 */
public interface NoiseGenerator {

    /** Fills {@code out[offset, offset + length)} with the next tensor of {@code length} standard normals. */
    void randn(float[] out, int offset, int length);

    /** Convenience: a new array holding the next tensor of {@code length} standard normals. */
    default float[] randn(int length) {
        float[] out = new float[length];
        randn(out, 0, length);
        return out;
    }
}
