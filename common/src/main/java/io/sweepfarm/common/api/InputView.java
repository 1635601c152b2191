package io.sweepfarm.common.api;

/**
 * An uploaded input image (init image or mask), stored once under a content-addressed key: name {@code key} in a
 * sweep's {@code init_images} or {@code mask}.
 */
public record InputView(String key, String sha256, int width, int height) {
}
