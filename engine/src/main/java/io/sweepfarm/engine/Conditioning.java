package io.sweepfarm.engine;

import io.sweepfarm.engine.model.LatentDistribution;
import io.sweepfarm.engine.model.StableDiffusionModel;
import io.sweepfarm.engine.model.VaeEncoder;
import io.sweepfarm.engine.scheduler.Sampler;
import java.util.List;

/**
 * The image side of img2img and inpainting for one U-Net batch: init-image latents, the latent-resolution mask and
 * the masked-image latents, the U-Net input rows, and mask blending for 4-channel U-Nets. For txt2img it only copies
 * latents into U-Net rows.
 *
 * <p>Generator draws follow diffusers' order: the init image's VAE sample first, then the initial noise (drawn by
 * the pipeline), then the masked image's VAE sample ({@link #encodeMaskedImage}).
 */
final class Conditioning {

    private final StableDiffusionModel model;
    private final List<ImageRequest> requests;
    private final ImageNoise imageNoise;
    private final int n;
    private final int h;
    private final int w;
    private final int plane;
    private final float[] initLatents;
    private float[] latentMask;
    private float[] maskedImageLatents;
    private float[] initialNoise;

    private Conditioning(StableDiffusionModel model, List<ImageRequest> requests, ImageNoise noise,
            float[] initLatents) {
        this.model = model;
        this.requests = requests;
        this.imageNoise = noise;
        this.n = requests.size();
        this.h = requests.get(0).height() / 8;
        this.w = requests.get(0).width() / 8;
        this.plane = h * w;
        this.initLatents = initLatents;
    }

    static Conditioning prepare(StableDiffusionModel model, List<ImageRequest> requests, ImageNoise noise) {
        ImageRequest first = requests.get(0);
        boolean inpaintUnet = model.unetInChannels() == 9;
        if (inpaintUnet && first.mask() == null) {
            throw new IllegalArgumentException("this model's U-Net is an inpainting U-Net (9 input channels): "
                    + "tasks for it need an init image and a mask");
        }
        if (first.mask() != null && first.initImage() == null) {
            throw new IllegalArgumentException("a mask needs an init image to inpaint");
        }
        float[] initLatents = null;
        boolean strengthMax = first.strength() == null || first.strength() >= 1.0;
        boolean needImageLatents = first.initImage() != null
                && (first.mask() == null || !inpaintUnet || !strengthMax);
        if (needImageLatents) {
            initLatents = encode(model, requests, noise, false);
        }
        return new Conditioning(model, requests, noise, initLatents);
    }

    /** Scaled VAE latents [n, 4, h, w] of the init images (masked with the mask when {@code masked}). */
    private static float[] encode(StableDiffusionModel model, List<ImageRequest> requests, ImageNoise noise,
            boolean masked) {
        VaeEncoder vae = model.vaeEncoder().orElseThrow(() -> new IllegalArgumentException(
                "img2img and inpainting need a VAE encoder, and this model folder has no vae_encoder/"));
        ImageRequest first = requests.get(0);
        int width = first.width();
        int height = first.height();
        int n = requests.size();
        int size = 3 * width * height;
        float[] images = new float[n * size];
        for (int k = 0; k < n; k++) {
            float[] img = Pixels.toTensor(requests.get(k).initImage(), width, height);
            if (masked) {
                float[] mask = Pixels.toMask(requests.get(k).mask(), width, height);
                for (int c = 0; c < 3; c++) {
                    for (int p = 0; p < mask.length; p++) {
                        if (mask[p] >= 0.5f) {
                            img[c * mask.length + p] = 0f;
                        }
                    }
                }
            }
            System.arraycopy(img, 0, images, k * size, size);
        }
        LatentDistribution dist = vae.encode(images, n, height, width);
        float[] latents = dist.sample(dist.isPreSampled() ? null : noise.draw());
        float scaling = model.vaeScalingFactor();
        for (int i = 0; i < latents.length; i++) {
            latents[i] *= scaling;
        }
        return latents;
    }

    /** Init-image latents to start from, or null when the run starts from pure noise. */
    float[] initLatents() {
        ImageRequest first = requests.get(0);
        if (initLatents == null || first.strength() == null) {
            return null;
        }
        boolean strengthMax = first.strength() >= 1.0;
        return first.mask() != null && strengthMax ? null : initLatents;
    }

    /** Records the initial noise (needed by mask blending) and prepares the mask inputs. */
    void rememberNoise(float[] noise) {
        this.initialNoise = noise;
        if (requests.get(0).mask() != null) {
            prepareMask();
        }
    }

    private void prepareMask() {
        ImageRequest first = requests.get(0);
        latentMask = new float[n * plane];
        for (int k = 0; k < n; k++) {
            float[] full = Pixels.toMask(requests.get(k).mask(), first.width(), first.height());
            System.arraycopy(Pixels.downsampleNearest(full, first.width(), first.height(), 8), 0, latentMask,
                    k * plane, plane);
        }
        if (model.unetInChannels() == 9) {
            maskedImageLatents = encode(model, requests, imageNoise, true);
        }
    }

    /** Writes U-Net input row {@code row} for image {@code k}: its scaled latents (+ mask + masked latents). */
    void fillRow(float[] input, int row, int k, float[] scaled, int inChannels) {
        int base = row * inChannels * plane;
        System.arraycopy(scaled, k * 4 * plane, input, base, 4 * plane);
        if (inChannels == 9) {
            System.arraycopy(latentMask, k * plane, input, base + 4 * plane, plane);
            System.arraycopy(maskedImageLatents, k * 4 * plane, input, base + 5 * plane, 4 * plane);
        }
    }

    /**
     * Mask blending for 4-channel U-Nets after step {@code i}: outside the mask the latents are replaced by the init
     * image's latents noised to the next timestep (unnoised after the last step), as diffusers does.
     */
    void blend(float[] latents, Sampler sampler, int i, int calls) {
        if (latentMask == null || model.unetInChannels() == 9) {
            return;
        }
        float[] proper = i < calls - 1 ? sampler.addNoise(initLatents, initialNoise, i + 1) : initLatents;
        for (int k = 0; k < n; k++) {
            for (int c = 0; c < 4; c++) {
                for (int p = 0; p < plane; p++) {
                    int j = (k * 4 + c) * plane + p;
                    float m = latentMask[k * plane + p];
                    latents[j] = (1 - m) * proper[j] + m * latents[j];
                }
            }
        }
    }
}
