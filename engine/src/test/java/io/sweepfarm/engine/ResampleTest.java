package io.sweepfarm.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * torch's {@code interpolate} semantics ({@code align_corners=False}): pytorch/pytorch
 * {@code aten/src/ATen/native/UpSample.h} (source index {@code (dst + 0.5)·scale - 0.5}, clamped at 0 for linear
 * modes; {@code cubic_convolution1/2} with {@code A = -0.75}; nearest {@code floor(dst·scale)}). Expected values worked
 * out by hand from those formulas.
 */
class ResampleTest {

    @Test
    void nearestRepeatsPixels() {
        assertThat(Resample.nearest(new float[] {1, 2}, 1, 1, 2, 1, 4)).containsExactly(1, 1, 2, 2);
        assertThat(Resample.nearest(new float[] {1, 2, 3, 4}, 1, 1, 4, 1, 2)).containsExactly(1, 3);
    }

    @Test
    void bilinearMatchesTorchWithoutCornerAlignment() {
        // F.interpolate([[1, 2]], size=4, mode="linear"/"bilinear") = [1, 1.25, 1.75, 2]
        assertThat(Resample.bilinear(new float[] {1, 2}, 1, 1, 2, 1, 4)).containsExactly(1f, 1.25f, 1.75f, 2f);
    }

    @Test
    void bicubicUsesKeysKernelWithEdgesRepeated() {
        // [0, 1] to 4: x=0 samples at -0.25 (t = 0.75, taps 0, 0, 0, 1): w3 = cubic2(1.25) = -0.10546875;
        // x=1 at 0.25 (t = 0.25, taps 0, 0, 1, 1): cubic1(0.75) + cubic2(1.75) = 0.26171875 - 0.03515625
        float[] out = Resample.bicubic(new float[] {0, 1}, 1, 1, 2, 1, 4);
        assertThat(out[0]).isCloseTo(-0.10546875f, within(1e-7f));
        assertThat(out[1]).isCloseTo(0.2265625f, within(1e-7f));
        assertThat(out[2]).isCloseTo(1 - 0.2265625f, within(1e-7f));
        assertThat(out[3]).isCloseTo(1.10546875f, within(1e-7f));
    }

    @Test
    void everyModeKeepsAConstantPlaneConstant() {
        float[] flat = new float[6 * 10];
        Arrays.fill(flat, 0.37f);
        for (float[] out : new float[][] {Resample.bilinear(flat, 1, 6, 10, 9, 15),
                Resample.bicubic(flat, 1, 6, 10, 3, 5), Resample.lanczos(flat, 1, 6, 10, 12, 20),
                Resample.lanczos(flat, 1, 6, 10, 3, 4)}) {
            for (float v : out) {
                assertThat(v).isCloseTo(0.37f, within(1e-6f));
            }
        }
    }

    @Test
    void planesAreResizedIndependently() {
        float[] two = {0, 0, 0, 0, 1, 1, 1, 1};
        float[] out = Resample.bilinear(two, 2, 2, 2, 4, 4);
        assertThat(Arrays.copyOf(out, 16)).containsOnly(0f);
        assertThat(Arrays.copyOfRange(out, 16, 32)).containsOnly(1f);
    }
}
