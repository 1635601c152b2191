package io.sweepfarm.engine.bench;

import io.sweepfarm.devstack.modelgen.Options;
import io.sweepfarm.devstack.modelgen.TinyStableDiffusion;
import io.sweepfarm.engine.model.Latents;
import io.sweepfarm.engine.model.SessionFactory;
import io.sweepfarm.engine.model.StableDiffusionModel;
import io.sweepfarm.engine.model.TextStates;
import io.sweepfarm.engine.model.UNetInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Load and step timings of the generated models on one CPU thread: the tiny model's load and a 64x64, 10-step
 * guided render equivalent (text encoder ×2, 10 U-Net calls of batch 2, VAE decode), then one step of the wider
 * bench U-Net ({@link Options#bench()}) at 64, 256 and 512 px. Prints, asserts nothing.
 *
 * <p>Run: {@code ./mvnw -q -pl engine -am -Pbench verify -DskipTests -Dbench.main=io.sweepfarm.engine.bench.TinyModelTimings}
 */
public final class TinyModelTimings {

    private TinyModelTimings() {
    }

    public static void main(String[] args) throws Exception {
        Path tiny = TinyStableDiffusion.generate(Files.createTempDirectory("sweepfarm-tiny-"), Options.defaults());
        long loadStart = System.nanoTime();
        try (StableDiffusionModel model = StableDiffusionModel.load(tiny, SessionFactory.cpu(1))) {
            long loaded = System.nanoTime();
            render(model);
            long start = System.nanoTime();
            render(model);
            System.out.printf("tiny model, 1 thread: load %.1f ms; 64x64, 10 steps, CFG batch 2 "
                            + "(text encoder x2 + 10 U-Net calls + VAE decode): %.1f ms%n",
                    (loaded - loadStart) / 1e6, (System.nanoTime() - start) / 1e6);
        }
        Path bench = TinyStableDiffusion.generate(Files.createTempDirectory("sweepfarm-bench-"), Options.bench());
        try (StableDiffusionModel model = StableDiffusionModel.load(bench, SessionFactory.cpu(1))) {
            TextStates state = TextStates.of(model.textEncoder().encode(ids(5), 1, 77), 1, 77);
            for (int latent : new int[] {8, 32, 64}) {
                UNetInput in = new UNetInput(new Latents(noise(4 * latent * latent), 1, 4, latent, latent),
                        new float[] {500}, state);
                model.unet().predict(in);
                int runs = 5;
                long start = System.nanoTime();
                for (int i = 0; i < runs; i++) {
                    model.unet().predict(in);
                }
                System.out.printf("bench U-Net, 1 thread, batch 1, %dx%d latents (%dpx): %.1f ms/step%n",
                        latent, latent, latent * 8, (System.nanoTime() - start) / 1e6 / runs);
            }
        }
    }

    private static void render(StableDiffusionModel model) {
        float[] uncond = model.textEncoder().encode(ids(0), 1, 77);
        float[] cond = model.textEncoder().encode(ids(6), 1, 77);
        float[] context = Arrays.copyOf(uncond, uncond.length * 2);
        System.arraycopy(cond, 0, context, uncond.length, cond.length);
        float[] latents = noise(4 * 8 * 8);
        for (int step = 0; step < 10; step++) {
            float t = 901 - step * 100;
            float[] both = Arrays.copyOf(latents, latents.length * 2);
            System.arraycopy(latents, 0, both, latents.length, latents.length);
            float[] eps = model.unet().predict(new UNetInput(new Latents(both, 2, 4, 8, 8), new float[] {t, t},
                    TextStates.of(context, 2, 77)));
            for (int i = 0; i < latents.length; i++) {
                latents[i] -= 0.1f * (eps[i] + 7.5f * (eps[latents.length + i] - eps[i]));
            }
        }
        for (int i = 0; i < latents.length; i++) {
            latents[i] /= model.vaeScalingFactor();
        }
        model.vaeDecoder().decode(latents, 1, 8, 8);
    }

    /** 77 token ids: start, {@code words} ordinary ids, end tokens as padding (ids of the generated vocabulary). */
    private static int[] ids(int words) {
        int vocab = io.sweepfarm.devstack.modelgen.ClipVocabulary.build(400).size();
        int[] ids = new int[77];
        Arrays.fill(ids, vocab - 1);
        ids[0] = vocab - 2;
        for (int i = 1; i <= words; i++) {
            ids[i] = (37 + i * 11) % 500;
        }
        return ids;
    }

    private static float[] noise(int n) {
        Random r = new Random(7);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }
}
