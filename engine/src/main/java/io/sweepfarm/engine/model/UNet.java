package io.sweepfarm.engine.model;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The conditional U-Net ({@code unet/model.onnx}): predicts noise (or v) for latents [batch,
 * channels, h, w] at given timesteps, conditioned on text hidden states [batch, seqLen, hidden].
 * {@code channels} is 4, or 9 for inpainting U-Nets (latents, mask, masked-image latents).
 *
 * <p>Accepted exports: {@code timestep} float32/float16 [batch], float scalar [] (one timestep for
 * the whole batch), int64/int32 [batch] (fractional timesteps are truncated, as numpy's cast in diffusers' ONNX
 * pipelines does); float32 or float16
 * {@code sample}, {@code encoder_hidden_states} and {@code out_sample}; any sequence length the
 * export allows (77 or multiples, for long prompts).
 *
 * <p>Owns its session; close it once. Thread-safe: calls run one at a time (input buffers are
 * reused between calls).
 */
public final class UNet extends OnnxModel {

    private final Spec sample;
    private final Spec timestep;
    private final Spec context;
    private final Spec out;
    private final InputBuffer sampleBuffer = new InputBuffer();
    private final InputBuffer contextBuffer = new InputBuffer();
    private final InputBuffer timestepBuffer = new InputBuffer();

    public UNet(SessionFactory factory, Path modelFile, String label) {
        super(factory, modelFile, label);
        try {
            sample = requireFloat(requireRank(input("sample", false), "input", 4, "[batch, channels, height, width]"),
                    "input");
            timestep = input("timestep", false);
            if (timestep.rank() > 1) {
                throw fail("input 'timestep' has rank " + timestep.rank() + ", expected 0 (scalar) or 1 [batch]");
            }
            if (timestep.type() != OnnxJavaType.FLOAT && timestep.type() != OnnxJavaType.FLOAT16
                    && timestep.type() != OnnxJavaType.INT64 && timestep.type() != OnnxJavaType.INT32) {
                throw fail("input 'timestep' has type " + timestep.type() + ", expected float32, float16, int64 or int32");
            }
            context = requireFloat(requireRank(input("encoder_hidden_states", false), "input", 3,
                    "[batch, sequence, hidden]"), "input");
            for (String name : inputNames()) {
                if (!Set.of("sample", "timestep", "encoder_hidden_states").contains(name)) {
                    throw fail("unexpected input '" + name + "' (SDXL and other U-Nets with extra conditioning are not supported)");
                }
            }
            out = requireFloat(requireRank(output(outputNames().contains("out_sample") ? "out_sample"
                    : outputNames().iterator().next(), false), "output", 4, "[batch, 4, height, width]"), "output");
            long inChannels = sample.dim(1);
            if (inChannels >= 0 && inChannels != 4 && inChannels != 9) {
                throw fail("input 'sample' has " + inChannels + " channels, expected 4 (or 9 for inpainting)");
            }
            requireDim(out, "output", 1, 4, "channels");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Input channels declared by the model: 4, 9 (inpainting), or -1 when the export left it symbolic. */
    public int inChannels() {
        return (int) sample.dim(1);
    }

    /** Width of {@code encoder_hidden_states} declared by the model, or -1 when symbolic. */
    public int hiddenSize() {
        return (int) context.dim(2);
    }

    /** True when the model takes one scalar timestep for the whole batch. */
    public boolean scalarTimestep() {
        return timestep.rank() == 0;
    }

    /** Element type of {@code timestep}: FLOAT, FLOAT16, INT64 or INT32. */
    public OnnxJavaType timestepType() {
        return timestep.type();
    }

    /** True when the model computes in float16 (its {@code sample} is float16). */
    public boolean isFloat16() {
        return sample.isFloat16();
    }

    /**
     * One denoising step's model call.
     *
     * @return a new array [batch, 4, h, w] owned by the caller
     */
    public synchronized float[] predict(UNetInput in) {
        Latents x = in.sample();
        if (sample.dim(1) > 0 && x.channels() != sample.dim(1)) {
            throw new IllegalArgumentException(label + ": the model takes " + sample.dim(1) + " latent channels, got "
                    + x.channels());
        }
        TextStates c = in.context();
        try (OnnxTensor s = sampleBuffer.tensor(env, x.data(), 0, x.data().length, sample.type(), x.shape());
             OnnxTensor t = timestepTensor(in.timesteps());
             OnnxTensor e = contextBuffer.tensor(env, c.data(), 0, c.data().length, context.type(),
                     new long[] {c.batch(), c.sequence(), c.hidden()});
             OrtSession.Result result = session.run(Map.of(sample.name(), s, timestep.name(), t, context.name(), e),
                     Set.of(out.name()))) {
            return floats(result.get(out.name()).orElseThrow(), out.name(),
                    (long) x.batch() * 4 * x.height() * x.width());
        } catch (OrtException ex) {
            throw runFailed(ex);
        }
    }

    private OnnxTensor timestepTensor(float[] perItem) throws OrtException {
        float[] values = perItem;
        long[] shape = {perItem.length};
        boolean allEqual = true;
        for (float v : perItem) {
            allEqual &= v == perItem[0];
        }
        if (timestep.rank() == 0 || (timestep.dim(0) == 1 && perItem.length > 1)) {
            if (!allEqual) {
                throw new IllegalArgumentException(label + ": the model takes one timestep for the whole batch, "
                        + "but the batch items have different timesteps");
            }
            values = new float[] {perItem[0]};
            shape = timestep.rank() == 0 ? new long[0] : new long[] {1};
        }
        switch (timestep.type()) {
            case INT64 -> {
                long[] l = new long[values.length];
                for (int i = 0; i < l.length; i++) {
                    l[i] = (long) values[i]; // truncation, as diffusers' ONNX pipelines cast with numpy
                }
                return OnnxTensor.createTensor(env, LongBuffer.wrap(l), shape);
            }
            case INT32 -> {
                int[] l = new int[values.length];
                for (int i = 0; i < l.length; i++) {
                    l[i] = (int) values[i];
                }
                return OnnxTensor.createTensor(env, java.nio.IntBuffer.wrap(l), shape);
            }
            default -> {
                return timestepBuffer.tensor(env, values, 0, values.length, timestep.type(), shape);
            }
        }
    }
}
