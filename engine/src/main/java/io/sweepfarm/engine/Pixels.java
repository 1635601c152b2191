package io.sweepfarm.engine;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Conversions between images and the engine's NCHW float tensors. */
public final class Pixels {

    private Pixels() {
    }

    /**
     * Image {@code index} of a decoded batch [n, 3, h, w] in [-1, 1] as 8-bit RGB, as diffusers post-processes it:
     * {@code round(clamp(x / 2 + 0.5, 0, 1) * 255)}.
     */
    public static BufferedImage toImage(float[] decoded, int index, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = width * height;
        int base = index * 3 * plane;
        int[] rgb = new int[plane];
        for (int p = 0; p < plane; p++) {
            int r = channel(decoded[base + p]);
            int g = channel(decoded[base + plane + p]);
            int b = channel(decoded[base + 2 * plane + p]);
            rgb[p] = (r << 16) | (g << 8) | b;
        }
        img.setRGB(0, 0, width, height, rgb, 0, width);
        return img;
    }

    private static int channel(float x) {
        float v = x / 2f + 0.5f;
        v = Math.max(0f, Math.min(1f, v));
        return Math.round(v * 255f);
    }

    /** An image as [3, h, w] in [-1, 1] (diffusers' {@code 2x - 1} normalisation), resized to width×height. */
    public static float[] toTensor(BufferedImage image, int width, int height) {
        BufferedImage src = resize(image, width, height);
        int plane = width * height;
        float[] out = new float[3 * plane];
        int[] rgb = src.getRGB(0, 0, width, height, null, 0, width);
        for (int p = 0; p < plane; p++) {
            out[p] = ((rgb[p] >> 16) & 0xff) / 255f * 2f - 1f;
            out[plane + p] = ((rgb[p] >> 8) & 0xff) / 255f * 2f - 1f;
            out[2 * plane + p] = (rgb[p] & 0xff) / 255f * 2f - 1f;
        }
        return out;
    }

    /** A mask as [h, w] of 0/1 (luminance ≥ 0.5 → 1, repaint), resized to width×height. */
    public static float[] toMask(BufferedImage mask, int width, int height) {
        BufferedImage src = resize(mask, width, height);
        int[] rgb = src.getRGB(0, 0, width, height, null, 0, width);
        float[] out = new float[width * height];
        for (int p = 0; p < out.length; p++) {
            int r = (rgb[p] >> 16) & 0xff;
            int g = (rgb[p] >> 8) & 0xff;
            int b = rgb[p] & 0xff;
            float lum = (0.299f * r + 0.587f * g + 0.114f * b) / 255f;
            out[p] = lum >= 0.5f ? 1f : 0f;
        }
        return out;
    }

    /** An image's luminance (0.299 R + 0.587 G + 0.114 B) as one [h, w] plane in [0, 1] at its own size. */
    public static float[] luminance(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
        float[] out = new float[w * h];
        for (int p = 0; p < out.length; p++) {
            int r = (rgb[p] >> 16) & 0xff;
            int g = (rgb[p] >> 8) & 0xff;
            int b = rgb[p] & 0xff;
            out[p] = (0.299f * r + 0.587f * g + 0.114f * b) / 255f;
        }
        return out;
    }

    /** An image as [3, h, w] in [0, 1] (diffusers' ControlNet image processing), resized to width×height. */
    public static float[] toUnitTensor(BufferedImage image, int width, int height) {
        BufferedImage src = resize(image, width, height);
        int plane = width * height;
        float[] out = new float[3 * plane];
        int[] rgb = src.getRGB(0, 0, width, height, null, 0, width);
        for (int p = 0; p < plane; p++) {
            out[p] = ((rgb[p] >> 16) & 0xff) / 255f;
            out[plane + p] = ((rgb[p] >> 8) & 0xff) / 255f;
            out[2 * plane + p] = (rgb[p] & 0xff) / 255f;
        }
        return out;
    }

    /** Nearest-neighbour downscale of a [h, w] mask to [h/f, w/f] (torch's default {@code interpolate} mode). */
    public static float[] downsampleNearest(float[] mask, int width, int height, int factor) {
        int w = width / factor;
        int h = height / factor;
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = mask[(y * factor) * width + x * factor];
            }
        }
        return out;
    }

    static BufferedImage resize(BufferedImage image, int width, int height) {
        if (image.getWidth() == width && image.getHeight() == height
                && image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
