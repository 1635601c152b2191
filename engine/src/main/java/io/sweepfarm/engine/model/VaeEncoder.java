package io.sweepfarm.engine.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * The VAE encoder ({@code vae_encoder/model.onnx}): images [batch, 3, H, W] in [-1, 1] (H, W
 * multiples of 8) to a {@link LatentDistribution} over latents [batch, 4, H/8, W/8]. Accepts the
 * optimum ≥ 1.23 output {@code latent_parameters} [batch, 8, h, w] (mean then logvar) and the older
 * {@code latent_sample} [batch, 4, h, w] (sampled inside the model); float32 or float16.
 *
 * <p>Owns its session; close it once. Thread-safe: calls run one at a time.
 */
public final class VaeEncoder extends OnnxModel {

    private final Spec image;
    private final Spec latent;
    private final boolean parameters;
    private final TensorBuffer imageBuffer = new TensorBuffer();

    public VaeEncoder(SessionFactory factory, Path modelFile, String label) {
        this(factory.open(modelFile, label), label);
    }

    /** A wrapper around an opened session, which it then owns. */
    public VaeEncoder(SessionFactory.OpenSession open, String label) {
        super(open, label);
        try {
            image = requireFloat(requireRank(input("sample", true), "input", 4, "[batch, 3, height, width]"), "input");
            requireDim(image, "input", 1, 3, "channels");
            if (outputNames().contains("latent_parameters")) {
                latent = output("latent_parameters", false);
                parameters = true;
            } else if (outputNames().contains("latent_sample")) {
                latent = output("latent_sample", false);
                parameters = false;
            } else {
                throw fail("output 'latent_parameters' or 'latent_sample' is missing (model outputs: " + outputNames() + ")");
            }
            requireFloat(requireRank(latent, "output", 4, "[batch, channels, height/8, width/8]"), "output");
            requireDim(latent, "output", 1, parameters ? 8 : 4, "channels");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** True when the model returns mean and logvar ({@code latent_parameters}), false for a sampled latent. */
    public boolean returnsParameters() {
        return parameters;
    }

    /** Encodes images [batch, 3, height, width] (read only; height and width multiples of 8). */
    public synchronized LatentDistribution encode(float[] images, int batch, int height, int width) {
        int n = batch * 3 * height * width;
        if (images.length != n) {
            throw new IllegalArgumentException("images has " + images.length + " values, expected " + n);
        }
        if (height % VaeDecoder.SCALE != 0 || width % VaeDecoder.SCALE != 0) {
            throw new IllegalArgumentException("image size " + width + "x" + height + " is not a multiple of 8");
        }
        int h = height / VaeDecoder.SCALE;
        int w = width / VaeDecoder.SCALE;
        int plane = 4 * h * w;
        try (OnnxTensor in = imageBuffer.tensor(env, images, 0, n, image.type(), new long[] {batch, 3, height, width});
             OrtSession.Result result = session.run(Map.of(image.name(), in), Set.of(latent.name()))) {
            float[] values = floats(result.get(latent.name()).orElseThrow(), latent.name(),
                    (long) batch * plane * (parameters ? 2 : 1));
            if (!parameters) {
                return new LatentDistribution(values, null, batch, 4, h, w);
            }
            float[] mean = new float[batch * plane];
            float[] logvar = new float[batch * plane];
            for (int b = 0; b < batch; b++) {
                System.arraycopy(values, b * 2 * plane, mean, b * plane, plane);
                System.arraycopy(values, b * 2 * plane + plane, logvar, b * plane, plane);
            }
            return new LatentDistribution(mean, logvar, batch, 4, h, w);
        } catch (OrtException e) {
            throw runFailed(e);
        }
    }

    @Override
    public String toString() {
        return "VaeEncoder[" + label + ", " + latent.name() + " " + Arrays.toString(latent.shape()) + "]";
    }
}
