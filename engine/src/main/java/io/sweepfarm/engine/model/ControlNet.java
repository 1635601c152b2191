package io.sweepfarm.engine.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A ControlNet exported on its own ({@code <name>/model.onnx}): the U-Net's inputs ({@code sample},
 * {@code timestep}, {@code encoder_hidden_states}, and for SDXL {@code text_embeds} and {@code time_ids}) plus
 * {@code controlnet_cond} [batch, 3, 8h, 8w] (the control image in [0, 1]) and {@code conditioning_scale} (a float
 * scalar), to the down-block residuals (outputs holding {@code down}, ordered by their trailing index) and the
 * mid-block residual (the output holding {@code mid}), already multiplied by the scale.
 *
 * <p>Owns its session; close it once. Thread-safe: calls run one at a time.
 */
public final class ControlNet extends OnnxModel {

    private final Spec sample;
    private final DenoiserInputs common;
    private final Spec cond;
    private final Spec scale;
    private final List<Spec> down;
    private final Spec mid;
    private final TensorBuffer sampleBuffer = new TensorBuffer();
    private final TensorBuffer condBuffer = new TensorBuffer();
    private final TensorBuffer scaleBuffer = new TensorBuffer();

    public ControlNet(SessionFactory factory, Path modelFile, String label) {
        this(factory.open(modelFile, label), label);
    }

    public ControlNet(SessionFactory.OpenSession open, String label) {
        super(open, label);
        try {
            sample = requireFloat(requireRank(input("sample", false), "input", 4, "[batch, 4, height, width]"),
                    "input");
            common = new DenoiserInputs(this);
            cond = requireFloat(requireRank(input("controlnet_cond", false), "input", 4,
                    "[batch, 3, height, width]"), "input");
            requireDim(cond, "input", 1, 3, "channels");
            scale = requireFloat(input("conditioning_scale", false), "input");
            if (scale.rank() > 1) {
                throw fail("input 'conditioning_scale' has rank " + scale.rank() + ", expected a scalar");
            }
            List<Spec> d = new ArrayList<>();
            Spec m = null;
            for (String name : outputNames()) {
                if (name.contains("mid")) {
                    m = requireFloat(output(name, false), "output");
                } else if (name.contains("down")) {
                    d.add(requireFloat(output(name, false), "output"));
                }
            }
            if (d.isEmpty() || m == null) {
                throw fail("outputs must hold the down-block residuals and the mid-block residual (model outputs: "
                        + outputNames() + ")");
            }
            d.sort(Comparator.comparingInt(s -> UNet.trailingIndex(s.name())));
            down = List.copyOf(d);
            mid = m;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The number of down-block residuals it outputs. */
    public int downResiduals() {
        return down.size();
    }

    /** True for SDXL ControlNets. */
    public boolean takesAddedConditions() {
        return common.takesAdded();
    }

    /**
     * The residuals for one U-Net call.
     *
     * @param in      the call's latents (4 channels), timesteps and text conditioning
     * @param image   control images [batch, 3, 8h, 8w] in [0, 1]
     * @param scaleValue {@code conditioning_scale}
     */
    public synchronized Residuals run(UNetInput in, Latents image, float scaleValue) {
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        Set<String> wanted = new LinkedHashSet<>();
        down.forEach(s -> wanted.add(s.name()));
        wanted.add(mid.name());
        try {
            Latents x = in.sample();
            inputs.put(sample.name(), sampleBuffer.tensor(env, x.data(), 0, x.data().length, sample.type(),
                    x.shape()));
            common.put(env, in, inputs);
            inputs.put(cond.name(), condBuffer.tensor(env, image.data(), 0, image.data().length, cond.type(),
                    image.shape()));
            inputs.put(scale.name(), scaleBuffer.tensor(env, new float[] {scaleValue}, 0, 1, scale.type(),
                    scale.rank() == 0 ? new long[0] : new long[] {1}));
            try (OrtSession.Result result = session.run(inputs, wanted)) {
                List<Latents> downOut = new ArrayList<>(down.size());
                for (Spec s : down) {
                    downOut.add(latents(result.get(s.name()).orElseThrow(), s.name()));
                }
                return new Residuals(downOut, latents(result.get(mid.name()).orElseThrow(), mid.name()));
            }
        } catch (OrtException e) {
            throw runFailed(e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private Latents latents(OnnxValue value, String name) {
        long[] shape = ((OnnxTensor) value).getInfo().getShape();
        if (shape.length != 4) {
            throw new ModelRunException(label + ": output '" + name + "' has rank " + shape.length + ", expected 4",
                    null);
        }
        float[] data = floats(value, name, shape[0] * shape[1] * shape[2] * shape[3]);
        return new Latents(data, (int) shape[0], (int) shape[1], (int) shape[2], (int) shape[3]);
    }
}
