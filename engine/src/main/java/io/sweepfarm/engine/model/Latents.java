package io.sweepfarm.engine.model;

/**
 * A batch of images or latents in NCHW layout: {@code data} holds {@code batch × channels × height × width} floats,
 * row-major. The array is shared, not copied: callers keep it unchanged while a model reads it.
 */
public record Latents(float[] data, int batch, int channels, int height, int width) {

    public Latents {
        if (batch < 1 || channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("shape [" + batch + ", " + channels + ", " + height + ", " + width
                    + "] has an empty axis");
        }
        long n = (long) batch * channels * height * width;
        if (data.length != n) {
            throw new IllegalArgumentException("latents hold " + data.length + " values, shape [" + batch + ", "
                    + channels + ", " + height + ", " + width + "] needs " + n);
        }
    }

    /** The shape as ONNX Runtime wants it. */
    public long[] shape() {
        return new long[] {batch, channels, height, width};
    }
}
