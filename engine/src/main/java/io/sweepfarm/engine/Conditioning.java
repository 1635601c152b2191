package io.sweepfarm.engine;

import io.sweepfarm.engine.model.LatentDistribution;
import io.sweepfarm.engine.model.StableDiffusionModel;
import io.sweepfarm.engine.model.VaeEncoder;
import io.sweepfarm.engine.scheduler.Sampler;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The image side of one U-Net batch at one size: init-image latents (img2img), the latent-resolution mask and the
 * masked-image latents (inpainting), the depth channel (depth-to-image), the U-Net input rows, and mask blending for
 * 4-channel U-Nets. For txt2img it only copies latents into U-Net rows.
 *
 * <p>Generator draws follow diffusers' order: the init image's VAE sample first, then the initial noise (drawn by
 * the pipeline), then the masked image's VAE sample ({@link #rememberNoise}).
 */
final class Conditioning {

    private final StableDiffusionModel model;
    private final List<ImageRequest> requests;
    private final ImageNoise imageNoise;
    private final int width;
    private final int height;
    private final int n;
    private final int plane;
    private final float[] initLatents;
    private final float[] depth;
    private float[] latentMask;
    private float[] maskedImageLatents;
    private float[] initialNoise;

    private Conditioning(StableDiffusionModel model, List<ImageRequest> requests, ImageNoise noise, int width,
            int height, float[] initLatents, float[] depth) {
        this.model = model;
        this.requests = requests;
        this.imageNoise = noise;
        this.width = width;
        this.height = height;
        this.n = requests.size();
        this.plane = (height / 8) * (width / 8);
        this.initLatents = initLatents;
        this.depth = depth;
    }

    /**
     * The conditioning of the requests' own init images, masks and depth maps at {@code width × height}.
     *
     * @param startLatents latents to start img2img from instead of encoding the init images (hires fix's second
     *                     pass), or null
     */
    static Conditioning prepare(StableDiffusionModel model, List<ImageRequest> requests, ImageNoise noise,
            int width, int height, float[] startLatents) {
        ImageRequest first = requests.get(0);
        boolean inpaintUnet = model.isInpainting();
        if (inpaintUnet && first.mask() == null) {
            throw new IllegalArgumentException("this model's U-Net is an inpainting U-Net (9 input channels): "
                    + "tasks for it need an init image and a mask");
        }
        if (first.mask() != null && first.initImage() == null) {
            throw new IllegalArgumentException("a mask needs an init image to inpaint");
        }
        if (model.isDepth() && first.depthMap() == null) {
            throw new IllegalArgumentException("this model's U-Net is a depth U-Net (5 input channels): tasks for it "
                    + "need a depth map and an init image");
        }
        if (first.depthMap() != null && !model.isDepth()) {
            throw new IllegalArgumentException("a depth map needs a depth-to-image model (a U-Net with 5 input "
                    + "channels, such as stable-diffusion-2-depth)");
        }
        if (first.depthMap() != null && first.initImage() == null) {
            throw new IllegalArgumentException("depth-to-image denoises an init image: give one with the depth map");
        }
        float[] initLatents = startLatents;
        boolean strengthMax = first.strength() == null || first.strength() >= 1.0;
        boolean needImageLatents = first.initImage() != null
                && (first.mask() == null || !inpaintUnet || !strengthMax);
        if (initLatents == null && needImageLatents) {
            initLatents = encode(model, requests, noise, width, height, false);
        }
        float[] depth = model.isDepth() ? depthChannel(requests, width, height) : null;
        return new Conditioning(model, requests, noise, width, height, initLatents, depth);
    }

    /** Scaled VAE latents [n, 4, h, w] of the init images (masked with the mask when {@code masked}). */
    private static float[] encode(StableDiffusionModel model, List<ImageRequest> requests, ImageNoise noise,
            int width, int height, boolean masked) {
        float[] images = new float[requests.size() * 3 * width * height];
        for (int k = 0; k < requests.size(); k++) {
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
            System.arraycopy(img, 0, images, k * img.length, img.length);
        }
        return encodeImages(model, images, requests.size(), width, height, noise);
    }

    /**
     * Scaled latents [n, 4, h, w] of images [n, 3, height, width] in [-1, 1]: the VAE's latent distribution sampled
     * with each image's generator (diffusers' {@code retrieve_latents(..., sample_mode="sample")}), times the scaling
     * factor.
     */
    static float[] encodeImages(StableDiffusionModel model, float[] images, int n, int width, int height,
            ImageNoise noise) {
        VaeEncoder vae = model.vaeEncoder().orElseThrow(() -> new IllegalArgumentException(
                "img2img, inpainting and pixel upscaling need a VAE encoder, and this model folder has no "
                        + "vae_encoder/"));
        LatentDistribution dist = vae.encode(images, n, height, width);
        float[] latents = dist.sample(dist.isPreSampled() ? null : noise.draw());
        float scaling = model.vaeScalingFactor();
        for (int i = 0; i < latents.length; i++) {
            latents[i] *= scaling;
        }
        return latents;
    }

    /**
     * diffusers' {@code prepare_depth_map} for user depth maps: luminance, bicubic to the latent size
     * ({@code align_corners=False}), then scaled to [-1, 1] by its own minimum and maximum.
     */
    private static float[] depthChannel(List<ImageRequest> requests, int width, int height) {
        int h = height / 8;
        int w = width / 8;
        float[] out = new float[requests.size() * h * w];
        for (int k = 0; k < requests.size(); k++) {
            BufferedImage map = requests.get(k).depthMap();
            float[] full = Pixels.luminance(map);
            float[] small = Resample.bicubic(full, 1, map.getHeight(), map.getWidth(), h, w);
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (float v : small) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            float range = max - min;
            for (int p = 0; p < small.length; p++) {
                out[k * h * w + p] = range == 0 ? 0f : 2f * (small[p] - min) / range - 1f;
            }
        }
        return out;
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
        latentMask = new float[n * plane];
        for (int k = 0; k < n; k++) {
            float[] full = Pixels.toMask(requests.get(k).mask(), width, height);
            System.arraycopy(Pixels.downsampleNearest(full, width, height, 8), 0, latentMask, k * plane, plane);
        }
        if (model.isInpainting()) {
            maskedImageLatents = encode(model, requests, imageNoise, width, height, true);
        }
    }

    /** Writes U-Net input row {@code row} for image {@code k}: its scaled latents (+ mask and masked latents, or depth). */
    void fillRow(float[] input, int row, int k, float[] scaled, int inChannels) {
        int base = row * inChannels * plane;
        System.arraycopy(scaled, k * 4 * plane, input, base, 4 * plane);
        if (inChannels == 9) {
            System.arraycopy(latentMask, k * plane, input, base + 4 * plane, plane);
            System.arraycopy(maskedImageLatents, k * 4 * plane, input, base + 5 * plane, 4 * plane);
        } else if (inChannels == 5) {
            System.arraycopy(depth, k * plane, input, base + 4 * plane, plane);
        }
    }

    /**
     * Mask blending for 4-channel U-Nets after step {@code i}: outside the mask the latents are replaced by the init
     * image's latents noised to the next timestep (unnoised after the last step), as diffusers does.
     */
    void blend(float[] latents, Sampler sampler, int i, int calls) {
        if (latentMask == null || model.isInpainting()) {
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
