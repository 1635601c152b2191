package io.sweepfarm.engine.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The VAE decoder ({@code vae_decoder/model.onnx}): latents [batch, 4, h, w], already divided by the
 * VAE scaling factor, to images [batch, 3, 8h, 8w] with values roughly in [-1, 1]. Accepts float32
 * or float16 exports; input and output names are read from the model ({@code latent_sample} and
 * {@code sample} in diffusers/optimum exports).
 *
 * <p>Owns its session; close it once. Thread-safe: calls run one at a time.
 */
public final class VaeDecoder extends OnnxModel {

    /** Spatial upscaling from latents to pixels in SD 1.x/2.x VAEs. */
    public static final int SCALE = 8;

    private final Spec latent;
    private final Spec image;
    private final TensorBuffer latentBuffer = new TensorBuffer();

    public VaeDecoder(SessionFactory factory, Path modelFile, String label) {
        this(factory.open(modelFile, label), label);
    }

    /** A wrapper around an opened session, which it then owns. */
    public VaeDecoder(SessionFactory.OpenSession open, String label) {
        super(open, label);
        try {
            latent = requireFloat(requireRank(input("latent_sample", true), "input", 4, "[batch, 4, height, width]"),
                    "input");
            requireDim(latent, "input", 1, 4, "channels");
            image = requireFloat(requireRank(output("sample", true), "output", 4, "[batch, 3, height, width]"),
                    "output");
            requireDim(image, "output", 1, 3, "channels");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Decodes latents [batch, 4, h, w] (read only). Returns a new array [batch, 3, 8h, 8w] owned by
     * the caller.
     */
    public synchronized float[] decode(float[] latents, int batch, int h, int w) {
        int n = batch * 4 * h * w;
        if (latents.length != n) {
            throw new IllegalArgumentException("latents has " + latents.length + " values, expected " + n);
        }
        try (OnnxTensor in = latentBuffer.tensor(env, latents, 0, n, latent.type(), new long[] {batch, 4, h, w});
             OrtSession.Result result = session.run(Map.of(latent.name(), in), Set.of(image.name()))) {
            return floats(result.get(image.name()).orElseThrow(), image.name(),
                    (long) batch * 3 * h * SCALE * w * SCALE);
        } catch (OrtException e) {
            throw runFailed(e);
        }
    }
}
