package io.sweepfarm.engine;

import io.sweepfarm.engine.noise.NoiseGenerator;
import io.sweepfarm.engine.noise.NoiseSources;
import io.sweepfarm.engine.scheduler.StepNoise;
import java.util.List;

/**
 * The noise of one U-Net batch: one seeded generator per image, and every draw fills each image's slice of the
 * batch from that image's own generator, so an image's noise never depends on its neighbours. Serves the initial
 * latents, the VAE's latent samples and the samplers' step noise alike. Not thread-safe.
 */
final class ImageNoise implements StepNoise {

    private final NoiseGenerator[] generators;
    private final int perImage;

    /** @param perImage values per image in every draw (a latent: 4·h·w) */
    ImageNoise(List<ImageRequest> requests, int perImage) {
        this.generators = new NoiseGenerator[requests.size()];
        for (int k = 0; k < generators.length; k++) {
            ImageRequest r = requests.get(k);
            generators[k] = NoiseSources.byId(r.noiseSource()).generator(r.seed());
        }
        this.perImage = perImage;
    }

    /** Fills {@code out} [images, perImage] with the next draw of every image's generator. */
    @Override
    public void fill(float[] out) {
        if (out.length != generators.length * perImage) {
            throw new IllegalArgumentException("a draw for " + generators.length + " images of " + perImage
                    + " values needs " + generators.length * perImage + ", got " + out.length);
        }
        for (int k = 0; k < generators.length; k++) {
            generators[k].randn(out, k * perImage, perImage);
        }
    }

    /** A new array holding the next draw. */
    float[] draw() {
        float[] out = new float[generators.length * perImage];
        fill(out);
        return out;
    }
}
