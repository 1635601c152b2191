package io.sweepfarm.engine.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code timestep_spacing} {@code leading} and {@code trailing} (configs re-saved by newer diffusers and optimum name
 * them; SDXL's ships {@code leading}) for every sampler family, on the SD config with {@code steps_offset=1}, at 7 and
 * 30 steps (neither divides 1000). Expected timesteps [COMPUTED] with numpy from diffusers' {@code set_timesteps}
 * formulas (huggingface/diffusers {@code src/diffusers/schedulers/}): DDIM, DDPM and the Euler family (Euler, Euler
 * a, LMS, Heun) space {@code leading} as {@code (arange(n) * (N // n)).round()[::-1] + steps_offset} and
 * {@code trailing} as {@code arange(N, 0, -N / n).round() - 1} (no offset); PNDM with {@code skip_prk_steps} repeats
 * the second timestep; DPM-Solver and UniPC space {@code leading} over {@code n + 1} points,
 * {@code (arange(n + 1) * (N // (n + 1))).round()[::-1][:-1] + steps_offset}; Heun calls every timestep after the
 * first twice. Karras schedules replace the spaced timesteps, so DPM++ 2M Karras is not listed.
 */
class TimestepSpacingTest {

    private static final SchedulerConfig SD = SchedulerConfig.parse("""
            {"beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "steps_offset": 1,
            "set_alpha_to_one": false, "clip_sample": false, "skip_prk_steps": true}""");

    private static final int[] LEADING_7 = {853, 711, 569, 427, 285, 143, 1};
    private static final int[] TRAILING_7 = {999, 856, 713, 570, 428, 285, 142};
    private static final int[] MULTISTEP_LEADING_7 = {876, 751, 626, 501, 376, 251, 126};
    private static final int[] LEADING_30 = {958, 925, 892, 859, 826, 793, 760, 727, 694, 661, 628, 595, 562, 529, 496,
        463, 430, 397, 364, 331, 298, 265, 232, 199, 166, 133, 100, 67, 34, 1};
    private static final int[] TRAILING_30 = {999, 966, 932, 899, 866, 832, 799, 766, 732, 699, 666, 632, 599, 566,
        532, 499, 466, 432, 399, 366, 332, 299, 266, 232, 199, 166, 132, 99, 66, 32};
    private static final int[] MULTISTEP_LEADING_30 = {961, 929, 897, 865, 833, 801, 769, 737, 705, 673, 641, 609,
        577, 545, 513, 481, 449, 417, 385, 353, 321, 289, 257, 225, 193, 161, 129, 97, 65, 33};

    static Stream<Arguments> schedules() {
        Stream.Builder<Arguments> out = Stream.builder();
        for (SamplerType type : EnumSet.complementOf(EnumSet.of(SamplerType.DPMPP_2M_KARRAS))) {
            boolean multistep = type == SamplerType.DPMPP_2M || type == SamplerType.UNIPC;
            out.add(Arguments.of(type, "leading", 7, calls(type, multistep ? MULTISTEP_LEADING_7 : LEADING_7)));
            out.add(Arguments.of(type, "trailing", 7, calls(type, TRAILING_7)));
            out.add(Arguments.of(type, "leading", 30, calls(type, multistep ? MULTISTEP_LEADING_30 : LEADING_30)));
            out.add(Arguments.of(type, "trailing", 30, calls(type, TRAILING_30)));
        }
        return out.build();
    }

    /** The model-call timesteps of a sampler whose spaced timesteps are {@code spaced}. */
    private static float[] calls(SamplerType type, int[] spaced) {
        int[] calls = switch (type) {
            case PLMS -> concat(new int[] {spaced[0], spaced[1]}, Arrays.copyOfRange(spaced, 1, spaced.length));
            case HEUN -> {
                int[] h = new int[2 * spaced.length - 1];
                h[0] = spaced[0];
                for (int j = 1; j < spaced.length; j++) {
                    h[2 * j - 1] = spaced[j];
                    h[2 * j] = spaced[j];
                }
                yield h;
            }
            default -> spaced;
        };
        float[] out = new float[calls.length];
        for (int i = 0; i < calls.length; i++) {
            out[i] = calls[i];
        }
        return out;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @ParameterizedTest(name = "{0} {1} {2} steps")
    @MethodSource("schedules")
    void everySamplerFamilySpacesItsTimestepsAsDiffusersDoes(SamplerType type, String spacing, int steps,
            float[] expected) {
        Sampler s = Samplers.create(type, SD.with("timestep_spacing", spacing), steps, 4);
        assertThat(s.timesteps()).containsExactly(expected);
        float[] x = DiffusersDummies.plainLoop(s, DiffusersDummies.scaled(DiffusersDummies.sample(),
                s.initNoiseSigma()), DiffusersDummies.torchSeed0());
        for (float v : x) {
            assertThat(Float.isFinite(v)).isTrue();
        }
    }

    @ParameterizedTest(name = "{0} {1} {2} steps")
    @MethodSource("schedules")
    void sigmaSamplersStartAtTheTrainingSigmaOfTheirFirstTimestep(SamplerType type, String spacing, int steps,
            float[] expected) {
        Sampler s = Samplers.create(type, SD.with("timestep_spacing", spacing), steps, 1);
        if (!(s instanceof SigmaSampler sigmas)) {
            return;
        }
        float trainSigma = NoiseSchedule.of(SD, 0.0001, 0.02, false).trainSigmas()[(int) expected[0]];
        float first = sigmas.sigmas()[0];
        assertThat(first).isEqualTo(trainSigma);
        // diffusers' init_noise_sigma: the largest sigma for linspace/trailing, sqrt(max^2 + 1) for leading
        assertThat(s.initNoiseSigma()).isEqualTo(spacing.equals("trailing") ? first
                : (float) Math.sqrt(first * first + 1f));
    }
}
