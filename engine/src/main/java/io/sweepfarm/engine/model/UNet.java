package io.sweepfarm.engine.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The conditional U-Net ({@code unet/model.onnx}): predicts noise (or v) for latents [batch, channels, h, w] at given
 * timesteps, conditioned on text hidden states [batch, seqLen, hidden]. {@code channels} is 4, 5 for SD 2 depth
 * U-Nets (latents, depth) or 9 for inpainting U-Nets (latents, mask, masked-image latents).
 *
 * <p>Accepted exports: {@code timestep} float32/float16 [batch], float scalar [] (one timestep for the whole batch),
 * int64/int32 [batch] (fractional timesteps are truncated, as numpy's cast in diffusers' ONNX pipelines does); float32
 * or float16 {@code sample}, {@code encoder_hidden_states} and {@code out_sample}; any sequence length the export
 * allows (77 or multiples, for long prompts). SDXL exports also take {@code text_embeds} [batch, width] and
 * {@code time_ids} [batch, 6 or 5]. A U-Net exported for ControlNet takes the down-block residuals (inputs named
 * {@code down_block_additional_residual_<i>}, or any names holding {@code down_block} and ending in their index) and
 * the mid-block residual (a name holding {@code mid_block}).
 *
 * <p>Owns its session; close it once. Thread-safe: calls run one at a time (input buffers are reused between calls).
 */
public final class UNet extends OnnxModel {

    private final Spec sample;
    private final DenoiserInputs common;
    private final List<Spec> downResiduals;
    private final Spec midResidual;
    private final Spec out;
    private final TensorBuffer sampleBuffer = new TensorBuffer();
    private final List<TensorBuffer> residualBuffers = new ArrayList<>();

    public UNet(SessionFactory factory, Path modelFile, String label) {
        this(factory.open(modelFile, label), label);
    }

    /** A wrapper around an opened session, which it then owns. */
    public UNet(SessionFactory.OpenSession open, String label) {
        super(open, label);
        try {
            sample = requireFloat(requireRank(input("sample", false), "input", 4, "[batch, channels, height, width]"),
                    "input");
            common = new DenoiserInputs(this);
            List<Spec> down = new ArrayList<>();
            Spec mid = null;
            for (String name : inputNames()) {
                if (name.equals(sample.name()) || common.covers(name)) {
                    continue;
                }
                if (name.contains("down_block")) {
                    down.add(requireFloat(requireRank(input(name, false), "input", 4, "[batch, channels, h, w]"),
                            "input"));
                } else if (name.contains("mid_block")) {
                    mid = requireFloat(requireRank(input(name, false), "input", 4, "[batch, channels, h, w]"), "input");
                } else {
                    throw fail("unexpected input '" + name + "' (known: sample, timestep, encoder_hidden_states, "
                            + "SDXL's text_embeds and time_ids, ControlNet residuals)");
                }
            }
            if (down.isEmpty() != (mid == null)) {
                throw fail("ControlNet residual inputs need both the down-block and the mid-block residuals");
            }
            down.sort(Comparator.comparingInt(s -> trailingIndex(s.name())));
            downResiduals = List.copyOf(down);
            midResidual = mid;
            for (int i = 0; i <= downResiduals.size(); i++) {
                residualBuffers.add(new TensorBuffer());
            }
            out = requireFloat(requireRank(output(outputNames().contains("out_sample") ? "out_sample"
                    : outputNames().iterator().next(), false), "output", 4, "[batch, 4, height, width]"), "output");
            long inChannels = sample.dim(1);
            if (inChannels >= 0 && inChannels != 4 && inChannels != 5 && inChannels != 9) {
                throw fail("input 'sample' has " + inChannels + " channels, expected 4 (5 for depth, 9 for inpainting)");
            }
            requireDim(out, "output", 1, 4, "channels");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The number at the end of {@code name} ({@code down_block_additional_residual_11} → 11), or -1. */
    static int trailingIndex(String name) {
        int end = name.length();
        int start = end;
        while (start > 0 && Character.isDigit(name.charAt(start - 1))) {
            start--;
        }
        return start == end ? -1 : Integer.parseInt(name.substring(start, end));
    }

    /** Input channels declared by the model: 4, 5 (depth), 9 (inpainting), or -1 when the export left it symbolic. */
    public int inChannels() {
        return (int) sample.dim(1);
    }

    /** Width of {@code encoder_hidden_states} declared by the model, or -1 when symbolic. */
    public int hiddenSize() {
        return (int) common.context().dim(2);
    }

    /** True when the model takes one scalar timestep for the whole batch. */
    public boolean scalarTimestep() {
        return common.timestep().rank() == 0;
    }

    /** Element type of {@code timestep}: FLOAT, FLOAT16, INT64 or INT32. */
    public ai.onnxruntime.OnnxJavaType timestepType() {
        return common.timestep().type();
    }

    /** True when the model computes in float16 (its {@code sample} is float16). */
    public boolean isFloat16() {
        return sample.isFloat16();
    }

    /** True for SDXL U-Nets, which take {@code text_embeds} and {@code time_ids}. */
    public boolean takesAddedConditions() {
        return common.takesAdded();
    }

    /** Declared {@code time_ids} width: 6 (SDXL base), 5 (refiner), -1 symbolic, 0 when not taken. */
    public int timeIdsWidth() {
        return common.timeIdsWidth();
    }

    /** Declared {@code text_embeds} width, -1 when symbolic, 0 when not taken. */
    public int textEmbedsWidth() {
        return common.textEmbedsWidth();
    }

    /** Down-block residual inputs (0 when the export takes no ControlNet residuals). */
    public int residualInputs() {
        return downResiduals.size();
    }

    /**
     * One denoising step's model call. A U-Net with residual inputs needs {@link UNetInput#residuals()} (zeros
     * when no ControlNet guides the call).
     *
     * @return a new array [batch, 4, h, w] owned by the caller
     */
    public synchronized float[] predict(UNetInput in) {
        Latents x = in.sample();
        if (sample.dim(1) > 0 && x.channels() != sample.dim(1)) {
            throw new IllegalArgumentException(label + ": the model takes " + sample.dim(1) + " latent channels, got "
                    + x.channels());
        }
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        try {
            inputs.put(sample.name(), sampleBuffer.tensor(env, x.data(), 0, x.data().length, sample.type(),
                    x.shape()));
            common.put(env, in, inputs);
            putResiduals(in.residuals(), inputs);
            try (OrtSession.Result result = session.run(inputs, Set.of(out.name()))) {
                return floats(result.get(out.name()).orElseThrow(), out.name(),
                        (long) x.batch() * 4 * x.height() * x.width());
            }
        } catch (OrtException e) {
            throw runFailed(e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private void putResiduals(Residuals r, Map<String, OnnxTensor> inputs) throws OrtException {
        if (downResiduals.isEmpty()) {
            if (r != null) {
                throw new IllegalArgumentException(label + " takes no ControlNet residuals; export the U-Net with "
                        + "residual inputs to use ControlNets");
            }
            return;
        }
        if (r == null) {
            throw new IllegalArgumentException(label + " is exported for ControlNet and needs its residuals");
        }
        if (r.down().size() != downResiduals.size()) {
            throw new IllegalArgumentException(label + " takes " + downResiduals.size() + " down-block residuals, the "
                    + "ControlNet gives " + r.down().size());
        }
        for (int i = 0; i < downResiduals.size(); i++) {
            Latents d = r.down().get(i);
            inputs.put(downResiduals.get(i).name(), residualBuffers.get(i).tensor(env, d.data(), 0, d.data().length,
                    downResiduals.get(i).type(), d.shape()));
        }
        Latents m = r.mid();
        inputs.put(midResidual.name(), residualBuffers.get(downResiduals.size()).tensor(env, m.data(), 0,
                m.data().length, midResidual.type(), m.shape()));
    }
}
