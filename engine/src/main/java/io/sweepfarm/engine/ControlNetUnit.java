package io.sweepfarm.engine;

import java.awt.image.BufferedImage;

/**
 * One ControlNet guiding the U-Net, as diffusers' ControlNet pipelines take it.
 *
 * @param name          the ControlNet's folder name in the engine's ControlNet folder
 * @param image         the control image (edges, pose, depth, ...), resized to the render size, read as RGB in [0, 1]
 * @param scale         {@code controlnet_conditioning_scale}: multiplies the residuals
 * @param guidanceStart {@code control_guidance_start}: fraction of the steps before which the ControlNet is off
 * @param guidanceEnd   {@code control_guidance_end}: fraction of the steps after which it is off again
 */
public record ControlNetUnit(String name, BufferedImage image, double scale, double guidanceStart,
        double guidanceEnd) {

    public ControlNetUnit {
        if (name == null || name.isBlank() || name.contains("/") || name.contains("\\") || name.contains("..")) {
            throw new IllegalArgumentException("a ControlNet name is a folder name, got '" + name + "'");
        }
        if (image == null) {
            throw new IllegalArgumentException("ControlNet '" + name + "' needs a control image");
        }
        if (!(guidanceStart >= 0 && guidanceStart < guidanceEnd && guidanceEnd <= 1)) {
            throw new IllegalArgumentException("ControlNet '" + name + "': guidance start and end must satisfy "
                    + "0 <= start < end <= 1, got " + guidanceStart + " and " + guidanceEnd);
        }
    }

    /** A unit at scale 1 over the whole schedule. */
    public static ControlNetUnit of(String name, BufferedImage image) {
        return new ControlNetUnit(name, image, 1.0, 0.0, 1.0);
    }

    /** What a batch must share (the image may differ per image). */
    public Settings settings() {
        return new Settings(name, scale, guidanceStart, guidanceEnd);
    }

    /** The unit without its image. */
    public record Settings(String name, double scale, double guidanceStart, double guidanceEnd) {
    }
}
