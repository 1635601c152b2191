package io.sweepfarm.engine.noise;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The {@code nv} source against AUTOMATIC1111's algorithm (stable-diffusion-webui {@code modules/rng_philox.py},
 * read at commit 255da37d). Expected values [COMPUTED] by an independent numpy (2.4.6) transcription of that file's
 * description, float64 Box–Muller as numpy promotes it, written for this test; bit for bit, no tolerance.
 */
class PhiloxGeneratorTest {

    @Test
    void seedZeroGivesAutomatic1111sValues() {
        // Generator(seed=0).randn((3, 4)); A1111's docstring prints CUDA's torch.randn for it, which this CPU
        // imitation matches to within a few float32 ULP: -0.92466259 -0.42534415 -2.6438457 0.14518388 ...
        assertThat(PhiloxNoise.INSTANCE.generator(0).randn(12)).containsExactly(-0.9246624112129211f,
                -0.42534396052360535f, -2.643845796585083f, 0.14518387615680695f, -0.12086650729179382f,
                -0.5797256827354431f, -0.6228513121604919f, -0.32838714122772217f, -1.0745420455932617f,
                -0.3631440997123718f, -1.6710504293441772f, 2.265505075454712f);
    }

    @Test
    void eachDrawAdvancesTheOffsetWhateverItsSize() {
        PhiloxGenerator g = PhiloxNoise.INSTANCE.generator(0);
        g.randn(3);
        // second call, offset 1
        assertThat(g.randn(4)).containsExactly(0.18082588911056519f, -0.5522627234458923f, 0.9238134026527405f,
                -0.7349703311920166f);
    }

    @Test
    void aLatentTensorAndSeedsBeyond32BitsMatch() {
        float[] latent = PhiloxNoise.INSTANCE.generator(42).randn(4 * 8 * 8);
        assertThat(new float[] {latent[0], latent[1], latent[2], latent[3], latent[255]}).containsExactly(
                0.1940188705921173f, 2.1613738536834717f, -0.17205095291137695f, 0.8490599989891052f,
                -1.800972580909729f);
        assertThat(PhiloxNoise.INSTANCE.generator(4294967295L).randn(4)).containsExactly(-0.03415844216942787f,
                0.3904449939727783f, 1.5272352695465088f, 0.1869903802871704f);
        // the key holds all 64 bits, unlike torch_cpu's 32
        assertThat(PhiloxNoise.INSTANCE.generator((1L << 32) + 5).randn(4)).containsExactly(-2.842747449874878f,
                1.3404923677444458f, 0.272230863571167f, 1.4550628662109375f);
    }

    @Test
    void sixtyFiveThousandValuesMatchBitForBit() throws Exception {
        PhiloxGenerator g = PhiloxNoise.INSTANCE.generator(1234);
        g.randn(1);
        g.randn(17);
        g.randn(5);
        float[] x = g.randn(1 << 16);
        ByteBuffer bytes = ByteBuffer.allocate(x.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : x) {
            bytes.putFloat(v);
        }
        // sha256 of the little-endian float32 bytes of the 4th draw (offset 3) of 65536 values, seed 1234
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array())))
                .isEqualTo("31494e601b097a21b7970f742ea9826dc5601246a9e3ec0d7cbcc9553fd2a639");
    }

    @Test
    void nvIsANoiseSourceBesideTorchCpu() {
        assertThat(NoiseSources.byId("nv")).isSameAs(PhiloxNoise.INSTANCE);
        assertThat(NoiseSources.byId(null)).isSameAs(TorchCpuNoise.INSTANCE);
        assertThat(NoiseSources.ids()).isEqualTo("torch_cpu, nv");
    }
}
