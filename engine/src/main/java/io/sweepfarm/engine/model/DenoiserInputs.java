package io.sweepfarm.engine.model;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Map;

/**
 * The inputs a U-Net and a ControlNet share: {@code timestep}, {@code encoder_hidden_states} and SDXL's
 * {@code text_embeds} / {@code time_ids}. Checks them when the model loads and makes their tensors per call. Not
 * thread-safe (the owning model serialises its calls).
 */
final class DenoiserInputs {

    private final String label;
    private final OnnxModel.Spec timestep;
    private final OnnxModel.Spec context;
    private final OnnxModel.Spec textEmbeds;
    private final OnnxModel.Spec timeIds;
    private final TensorBuffer timestepBuffer = new TensorBuffer();
    private final TensorBuffer contextBuffer = new TensorBuffer();
    private final TensorBuffer embedsBuffer = new TensorBuffer();
    private final TensorBuffer idsBuffer = new TensorBuffer();

    DenoiserInputs(OnnxModel model) {
        this.label = model.label();
        timestep = model.input("timestep", false);
        if (timestep.rank() > 1) {
            throw model.fail("input 'timestep' has rank " + timestep.rank() + ", expected 0 (scalar) or 1 [batch]");
        }
        if (timestep.type() != OnnxJavaType.FLOAT && timestep.type() != OnnxJavaType.FLOAT16
                && timestep.type() != OnnxJavaType.INT64 && timestep.type() != OnnxJavaType.INT32) {
            throw model.fail("input 'timestep' has type " + timestep.type()
                    + ", expected float32, float16, int64 or int32");
        }
        context = model.requireFloat(model.requireRank(model.input("encoder_hidden_states", false), "input", 3,
                "[batch, sequence, hidden]"), "input");
        boolean xl = model.inputNames().contains("text_embeds") || model.inputNames().contains("time_ids");
        textEmbeds = xl ? model.requireFloat(model.requireRank(model.input("text_embeds", false), "input", 2,
                "[batch, width]"), "input") : null;
        timeIds = xl ? model.requireFloat(model.requireRank(model.input("time_ids", false), "input", 2,
                "[batch, ids]"), "input") : null;
    }

    /** Input names these inputs cover. */
    boolean covers(String name) {
        return name.equals(timestep.name()) || name.equals(context.name())
                || (textEmbeds != null && (name.equals(textEmbeds.name()) || name.equals(timeIds.name())));
    }

    OnnxModel.Spec timestep() {
        return timestep;
    }

    OnnxModel.Spec context() {
        return context;
    }

    /** True for SDXL exports ({@code text_embeds} and {@code time_ids}). */
    boolean takesAdded() {
        return textEmbeds != null;
    }

    /** Declared widths of {@code text_embeds} and {@code time_ids} (-1 when symbolic), or 0 when not taken. */
    int textEmbedsWidth() {
        return textEmbeds == null ? 0 : (int) textEmbeds.dim(1);
    }

    int timeIdsWidth() {
        return timeIds == null ? 0 : (int) timeIds.dim(1);
    }

    /** Adds this call's tensors to {@code into}; the caller closes them. */
    void put(OrtEnvironment env, UNetInput in, Map<String, OnnxTensor> into) throws OrtException {
        into.put(timestep.name(), timestepTensor(env, in.timesteps()));
        TextStates c = in.context();
        into.put(context.name(), contextBuffer.tensor(env, c.data(), 0, c.data().length, context.type(),
                new long[] {c.batch(), c.sequence(), c.hidden()}));
        if (textEmbeds != null) {
            if (in.textEmbeds() == null) {
                throw new IllegalArgumentException(label + " is an SDXL model: it needs text_embeds and time_ids");
            }
            int b = in.sample().batch();
            into.put(textEmbeds.name(), embedsBuffer.tensor(env, in.textEmbeds(), 0, in.textEmbeds().length,
                    textEmbeds.type(), new long[] {b, in.textEmbeds().length / b}));
            into.put(timeIds.name(), idsBuffer.tensor(env, in.timeIds(), 0, in.timeIds().length, timeIds.type(),
                    new long[] {b, in.timeIds().length / b}));
        }
    }

    private OnnxTensor timestepTensor(OrtEnvironment env, float[] perItem) throws OrtException {
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
                return OnnxTensor.createTensor(env, IntBuffer.wrap(l), shape);
            }
            default -> {
                return timestepBuffer.tensor(env, values, 0, values.length, timestep.type(), shape);
            }
        }
    }
}
