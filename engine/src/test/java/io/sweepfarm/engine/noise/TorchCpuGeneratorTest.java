package io.sweepfarm.engine.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Reference values for {@code torch.manual_seed(s); torch.randn(...)} in float32.
 *
 * <p>Unless a test says otherwise, expected numbers are copied from Sweepfarm's reference note
 * {@code shared/refdata/torch-randn.md}, part B ("B.4 #n" = row n of its table B.4, "B.5" = its fingerprint table),
 * where they were computed with Debian's torch 1.13.1 (AVX2 build) on x86-64. Rows that are also quoted in public
 * sources name them. The doubles are the exact float32 values printed by Python, so {@code (float)} recovers them.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TorchCpuGeneratorTest {

    private static float[] randn(long seed, int n) {
        return TorchCpuNoise.INSTANCE.generator(seed).randn(n);
    }

    private static float[] f(double... values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    // B.4 #6: seed 0, randn(16); 4-digit copy in kornia/kornia kornia/augmentation/augmentation.py (CenterCrop docstring)
    private static final float[] SEED0_RANDN16 = f(-1.1258398294448853, -1.152360200881958, -0.2505785822868347,
            -0.4338788092136383, 0.8487103581428528, 0.6920091509819031, -0.31601276993751526, -2.1152193546295166,
            0.32227492332458496, -1.2633347511291504, 0.34998318552970886, 0.30813392996788025, 0.11984150856733322,
            1.237657904624939, 1.1167771816253662, -0.2472781538963318);

    // B.4 #4: seed 0, randn(15), the largest scalar-path size; #1..#3 are its prefixes
    private static final float[] SEED0_RANDN15 = f(1.5409960746765137, -0.293428897857666, -2.1787893772125244,
            0.5684312582015991, -1.0845223665237427, -1.3985954523086548, 0.40334683656692505, 0.8380263447761536,
            -0.7192575931549072, -0.40334352850914, -0.5966353416442871, 0.18203648924827576, -0.8566746115684509,
            1.1006041765213013, -1.0711873769760132);

    @Test
    void the_source_is_called_torch_cpu() {
        assertThat(TorchCpuNoise.INSTANCE.id()).isEqualTo("torch_cpu");
    }

    @Test
    void raw_engine_words_for_seed_0_match_std_mt19937() {
        // B.2 [COMPUTED]: seed 0 raw[0:8]
        Mt19937 mt = new Mt19937(0);
        long[] words = new long[8];
        for (int i = 0; i < words.length; i++) {
            words[i] = Integer.toUnsignedLong(mt.nextInt());
        }
        assertThat(words).containsExactly(2357136044L, 2546248239L, 3071714933L, 3626093760L, 2588848963L,
                3684848379L, 2340255427L, 3638918503L);
    }

    @Test
    void raw_engine_words_for_seed_137_match_llm_c() {
        // karpathy/llm.c llmc/rand.h header comment (also B.2 and B.4 #22)
        TorchCpuGenerator g = new TorchCpuGenerator(137);
        assertThat(new long[] {g.nextRandom32(), g.nextRandom32(), g.nextRandom32(), g.nextRandom32(), g.nextRandom32()})
                .containsExactly(4053805790L, 2173880614L, 380293709L, 1237255315L, 2986595568L);
    }

    @Test
    void the_engine_stays_on_the_reference_stream_past_several_twists() {
        // the 10000th output of std::mt19937 with the default seed 5489 is 4123659995 (C++ standard, [rand.predef])
        Mt19937 mt = new Mt19937(5489);
        int last = 0;
        for (int i = 0; i < 10000; i++) {
            last = mt.nextInt();
        }
        assertThat(Integer.toUnsignedLong(last)).isEqualTo(4123659995L);
    }

    @Test
    void only_the_low_32_bits_of_the_seed_matter() {
        // B.2 [COMPUTED]: seed 2**32+5 gives the same stream as seed 5
        assertThat(randn((1L << 32) + 5, 100)).containsExactly(randn(5, 100));
        assertThat(randn((1L << 32) + 5, 7)).containsExactly(randn(5, 7));
        assertThat(new TorchCpuGenerator((1L << 32) + 5).initialSeed()).isEqualTo((1L << 32) + 5);
    }

    @Test
    void float_uniforms_for_seed_0_match_torch_rand() {
        // B.4 #7 (the 16 uniforms feeding #6) and B.2: torch.rand(4) at seed 0
        float[] expected = f(0.49625658988952637, 0.7682217955589294, 0.08847743272781372, 0.13203048706054688,
                0.30742281675338745, 0.6340786814689636, 0.4900934100151062, 0.8964447379112244, 0.455627977848053,
                0.6323062777519226, 0.3488934636116028, 0.40171730518341064, 0.022325754165649414,
                0.16885894536972046, 0.2938884496688843, 0.518521785736084);
        float[] out = new float[16];
        new TorchCpuGenerator(0).rand(out, 0, 16);
        assertThat(out).containsExactly(expected);
    }

    @Test
    void double_uniforms_for_seed_0_take_the_high_word_first() {
        // B.2 [COMPUTED]: torch.rand(4, dtype=float64) at seed 0
        TorchCpuGenerator g = new TorchCpuGenerator(0);
        assertThat(new double[] {g.nextUniformDouble(), g.nextUniformDouble(), g.nextUniformDouble(),
                g.nextUniformDouble()})
                .containsExactly(0.9700530018065531, 0.707819864399788, 0.45938294312745087, 0.9207476841219603);
    }

    @Test
    void small_tensors_take_the_scalar_path() {
        // B.4 #1, #2 (randn(2,3) = randn(6)), #3 and #4; 4-digit #3 is a widely quoted torch docstring
        assertThat(randn(0, 4)).containsExactly(Arrays.copyOf(SEED0_RANDN15, 4));
        assertThat(randn(0, 6)).containsExactly(Arrays.copyOf(SEED0_RANDN15, 6));
        assertThat(randn(0, 8)).containsExactly(Arrays.copyOf(SEED0_RANDN15, 8));
        assertThat(randn(0, 15)).containsExactly(SEED0_RANDN15);
    }

    @Test
    void another_seed_on_the_scalar_path_matches_torch() {
        // B.4 #24: seed 524242, randn(4)
        assertThat(randn(524242, 4)).containsExactly(f(2.221095561981201, 0.5436344742774963, 1.1142498254776,
                1.1423715353012085));
    }

    @Test
    void sixteen_elements_take_the_avx2_path_bit_exactly() {
        // B.4 #6
        assertThat(randn(0, 16)).containsExactly(SEED0_RANDN16);
    }

    @Test
    void seventeen_elements_recompute_the_last_sixteen() {
        // B.4 #9
        assertThat(randn(0, 17)).containsExactly(f(-1.1258398294448853, -1.6959311962127686, 0.5666506290435791,
                0.7935083508491516, 0.5988394618034363, -1.5550950765609741, -0.3413603901863098, 1.85300612449646,
                0.46809640526771545, -0.5854975581169128, -0.1733967512845993, 0.18347793817520142,
                1.3893661499023438, 1.586334228515625, 0.946298360824585, -0.843676745891571, 0.9318265914916992));
    }

    @Test
    void twenty_elements_recompute_elements_four_to_nineteen() {
        // B.4 #10; 4-digit copy in a public TF/torch comparison script (randn(4,5) logits)
        assertThat(randn(0, 20)).containsExactly(f(-1.1258398294448853, -1.152360200881958, -0.2505785822868347,
                -0.4338788092136383, 0.5988394618034363, -1.5550950765609741, -0.3413603901863098, 1.85300612449646,
                0.46809640526771545, -0.1577124446630478, 1.4436601400375366, 0.26604941487312317,
                1.3893661499023438, 1.586334228515625, 0.946298360824585, -0.843676745891571, 0.9318265914916992,
                1.2590092420578003, 2.0049805641174316, 0.05373690277338028));
    }

    @Test
    void thirty_two_elements_are_two_independent_blocks() {
        // B.4 #11: randn(32)[16:32]
        float[] all = randn(0, 32);
        assertThat(Arrays.copyOf(all, 16)).containsExactly(SEED0_RANDN16);
        assertThat(Arrays.copyOfRange(all, 16, 32)).containsExactly(f(-1.3526537418365479, -1.6959311962127686,
                0.5666506290435791, 0.7935083508491516, 0.5988394618034363, -1.5550950765609741, -0.3413603901863098,
                1.85300612449646, 0.750189483165741, -0.5854975581169128, -0.1733967512845993, 0.18347793817520142,
                1.3893661499023438, 1.586334228515625, 0.946298360824585, -0.843676745891571));
    }

    @Test
    void forty_elements_match_torch_to_four_digits() {
        // B.4 #12: randn(10,4), 4-digit values (first 27 also in a public blog post, "X = torch.randn(10, 4)")
        double[] expected = {-1.1258, -1.1524, -0.2506, -0.4339, 0.8487, 0.692, -0.316, -2.1152, 0.3223, -1.2633,
                0.35, 0.3081, 0.1198, 1.2377, 1.1168, -0.2473, -1.3527, -1.6959, 0.5667, 0.7935, 0.5988, -1.5551,
                -0.3414, 1.853, -0.2159, -0.7425, 0.5627, 0.2596, -0.174, -0.6787, 0.9383, 0.4889, 1.2032, 0.0845,
                -1.2001, -0.0048, -0.5181, -0.3067, -1.581, 1.7066};
        float[] actual = randn(0, 40);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("element %d", i).isCloseTo(expected[i], within(5.1e-5));
        }
    }

    @Test
    void a_one_by_four_by_eight_by_eight_latent_matches_torch() {
        // B.4 #14 (first8, last8, sums) and B.5 (f64 sums)
        float[] x = randn(0, 256);
        assertThat(Arrays.copyOf(x, 8)).containsExactly(Arrays.copyOf(SEED0_RANDN16, 8));
        assertThat(Arrays.copyOfRange(x, 248, 256)).containsExactly(f(-0.06402487307786942, 1.0384255647659302,
                0.9068235158920288, -0.47551384568214417, -0.8707435727119446, 0.14474289119243622,
                1.902856469154358, 0.39039579033851624));
        assertThat(sum(x)).isCloseTo(6.590076299675275, within(1e-12));
        assertThat(sumOfSquares(x)).isCloseTo(225.84004264377091, within(1e-10));
        assertThat(sumOfAbs(x)).isCloseTo(190.4148712158203, within(1e-4)); // torch's own float32 sum
    }

    @Test
    void a_four_by_three_by_eight_by_eight_noise_tensor_matches_torch() {
        // B.4 #15
        float[] x = randn(0, 768);
        assertThat(Arrays.copyOf(x, 4)).containsExactly(Arrays.copyOf(SEED0_RANDN16, 4));
        assertThat(Arrays.copyOfRange(x, 764, 768)).containsExactly(f(-0.7386032938957214, 1.6552757024765015,
                0.5203717947006226, -0.23261602222919464));
        assertThat(sum(x)).isCloseTo(47.871551953896414, within(1e-11));
        assertThat(sumOfSquares(x)).isCloseTo(812.9056917039036, within(1e-10));
        assertThat(sumOfAbs(x)).isCloseTo(622.9524622093304, within(1e-10));
    }

    @Test
    void whole_tensors_have_the_avx2_fingerprints() throws Exception {
        // B.5, AVX2 column: SHA-256 of the little-endian float32 bytes
        assertThat(sha256(randn(0, 1 * 4 * 8 * 8)))
                .isEqualTo("cc2e396b0f7eee29697357d709898d648b2545b68e76110909676686f58990fe");
        assertThat(sha256(randn(0, 4 * 3 * 8 * 8)))
                .isEqualTo("518f60c0a5a3224f5eb2b4984732ac0ddd72b6abd226de52fdc1b54c66703cd6");
    }

    @Test
    void the_llm_c_sequence_of_mixed_draws_matches() {
        // B.4 #22, from karpathy/llm.c llmc/rand.h (header comment); randint(0, 0xFFFFFFFF) is one word % range
        TorchCpuGenerator g = new TorchCpuGenerator(137);
        for (int i = 0; i < 5; i++) {
            g.nextRandom32();
        }
        float[] eight = new float[8];
        g.randn(eight, 0, 8);
        assertThat(eight).containsExactly(f(0.7947664260864258, 1.4369317293167114, -0.2292192131280899,
                0.47556325793266296, -0.6334410905838013, -0.5791953802108765, -0.0925704762339592,
                -0.8659197092056274));
        assertThat(g.nextRandom32() % 0xFFFFFFFFL).isEqualTo(2186503452L);
        float[] sixteen = new float[16];
        g.randn(sixteen, 0, 16);
        assertThat(sixteen).containsExactly(f(-1.2813878059387207, -2.646395683288574, -0.06569503247737885,
                0.2180829495191574, -0.46536165475845337, -0.33108410239219666, 2.5485482215881348,
                0.10425379872322083, 0.8460659980773926, 0.9462448358535767, -0.2913765013217926,
                0.34313806891441345, -1.1186704635620117, -0.18305328488349915, -2.3153159618377686,
                0.3961987793445587));
        assertThat(g.nextRandom32() % 0xFFFFFFFFL).isEqualTo(2756748748L);
    }

    @Test
    void the_scalar_cache_carries_over_between_calls() {
        // B.2 [COMPUTED]: randn(3) followed by randn(3) equals randn(6)
        NoiseGenerator g = TorchCpuNoise.INSTANCE.generator(0);
        float[] out = new float[6];
        g.randn(out, 0, 3);
        g.randn(out, 3, 3);
        assertThat(out).containsExactly(randn(0, 6));
    }

    @Test
    void the_vectorized_path_neither_reads_nor_clears_the_scalar_cache() {
        // B.2 [COMPUTED]: manual_seed(0); randn(1); randn(16); randn(1) -> the last is the cached sin value
        NoiseGenerator g = TorchCpuNoise.INSTANCE.generator(0);
        assertThat(g.randn(1)).containsExactly(1.5409960746765137f);
        g.randn(16);
        assertThat(g.randn(1)).containsExactly((float) -0.293428897857666);
    }

    @Test
    void filling_at_an_offset_touches_only_the_requested_range() {
        float[] out = new float[40];
        Arrays.fill(out, 42f);
        TorchCpuNoise.INSTANCE.generator(0).randn(out, 10, 17);
        assertThat(Arrays.copyOfRange(out, 10, 27)).containsExactly(randn(0, 17));
        assertThat(Arrays.copyOf(out, 10)).containsOnly(42f);
        assertThat(Arrays.copyOfRange(out, 27, 40)).containsOnly(42f);
    }

    private static double sum(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v;
        }
        return s;
    }

    private static double sumOfSquares(float[] x) {
        double s = 0;
        for (float v : x) {
            s += (double) v * v;
        }
        return s;
    }

    private static double sumOfAbs(float[] x) {
        double s = 0;
        for (float v : x) {
            s += Math.abs(v);
        }
        return s;
    }

    private static String sha256(float[] x) throws Exception {
        ByteBuffer bytes = ByteBuffer.allocate(x.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : x) {
            bytes.putFloat(v);
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
    }
}
