package io.sweepfarm.engine.noise;

/**
 * The {@code torch_cpu} noise source: {@code torch.manual_seed(seed); torch.randn(shape)} on the CPU, reproduced
 * bit-for-bit in float32 by {@link TorchCpuGenerator}.
 *
 * <p><b>Why it is the default.</b> A seed then gives the same starting latents as diffusers with a CPU generator
 * ({@code torch.Generator("cpu").manual_seed(seed)}) and as other tools that draw noise on the CPU, on any worker and
 * any GPU, because no GPU kernel or driver is involved; and one image's noise depends only on its own seed, not on
 * its position in a batch. GPU generators (CUDA Philox) differ between vendors and are not reproducible here.
 *
 * <p><b>Flavour caveat.</b> The values are those of torch's x86 AVX2 kernel ({@code normal_fill_16_AVX2} with the
 * Cephes single-precision log/sincos polynomials and the FMA contractions GCC makes; AVX-512 machines use the same
 * kernel). Generic torch builds (aarch64, {@code ATEN_CPU_CAPABILITY=default}) use libm {@code logf/cosf/sinf} for
 * tensors of 16 or more elements and differ by a few ULP; tensors under 16 elements use the double scalar path and
 * agree on every build. Bit-exactness was verified against Debian's torch 1.13.1; official x86 wheels built with
 * another compiler could contract FMAs differently.
 *
 * <p>Stateless and thread-safe; each generator it makes belongs to one image.
 */
public final class TorchCpuNoise implements NoiseSource {

    /** The id tasks and image metadata use for this source. */
    public static final String ID = "torch_cpu";

    /** The single instance. */
    public static final TorchCpuNoise INSTANCE = new TorchCpuNoise();

    private TorchCpuNoise() {
    }

    @Override
    public String id() {
        return ID;
    }

    /** A generator in the state of {@code torch.manual_seed(seed)}; only the low 32 bits of the seed matter. */
    @Override
    public TorchCpuGenerator generator(long seed) {
        return new TorchCpuGenerator(seed);
    }
}
