package io.sweepfarm.engine.model;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The CLIP text encoder ({@code text_encoder/model.onnx}): token ids [batch, seqLen] to hidden
 * states [batch, seqLen, hidden] ({@code last_hidden_state}). Accepts {@code input_ids} of int32
 * (diffusers' conversion script) or int64 (optimum), float32 or float16 outputs.
 *
 * <p>Owns its session; close it once. Thread-safe: calls run one at a time.
 */
public final class TextEncoder extends OnnxModel {

    private final Spec ids;
    private final Spec hidden;
    private final int hiddenSize;

    public TextEncoder(SessionFactory factory, Path modelFile, String label) {
        super(factory, modelFile, label);
        try {
            ids = requireRank(input("input_ids", true), "input", 2, "[batch, sequence]");
            if (ids.type() != OnnxJavaType.INT32 && ids.type() != OnnxJavaType.INT64) {
                throw fail("input '" + ids.name() + "' has type " + ids.type() + ", expected int32 or int64");
            }
            for (String name : inputNames()) {
                if (!name.equals(ids.name())) {
                    throw fail("unexpected input '" + name + "' (only input_ids is fed)");
                }
            }
            hidden = requireFloat(requireRank(lastHiddenState(), "output", 3, "[batch, sequence, hidden]"), "output");
            hiddenSize = (int) hidden.dim(2);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private Spec lastHiddenState() {
        if (outputNames().contains("last_hidden_state")) {
            return output("last_hidden_state", false);
        }
        return output(outputNames().iterator().next(), false);
    }

    /** Width of the hidden states as declared by the model, or -1 if the export left it symbolic. */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** Element type the model wants for {@code input_ids}: INT32 or INT64. */
    public OnnxJavaType idsType() {
        return ids.type();
    }

    /**
     * Encodes {@code batch} rows of {@code seqLen} token ids (row-major, {@code ids.length ==
     * batch * seqLen}). Returns a new array [batch, seqLen, hidden], row-major, owned by the caller.
     */
    public synchronized float[] encode(int[] tokenIds, int batch, int seqLen) {
        if (tokenIds.length != batch * seqLen) {
            throw new IllegalArgumentException("ids has " + tokenIds.length + " entries, expected " + batch + "x" + seqLen);
        }
        long[] shape = {batch, seqLen};
        try (OnnxTensor in = idsTensor(tokenIds, shape);
             OrtSession.Result result = session.run(Map.of(ids.name(), in), java.util.Set.of(hidden.name()))) {
            Optional<ai.onnxruntime.OnnxValue> out = result.get(hidden.name());
            long width = ((OnnxTensor) out.orElseThrow()).getInfo().getShape()[2];
            return floats(out.get(), hidden.name(), (long) batch * seqLen * width);
        } catch (OrtException e) {
            throw runFailed(e);
        }
    }

    private OnnxTensor idsTensor(int[] tokenIds, long[] shape) throws OrtException {
        if (ids.type() == OnnxJavaType.INT32) {
            return OnnxTensor.createTensor(env, IntBuffer.wrap(tokenIds), shape);
        }
        long[] wide = new long[tokenIds.length];
        for (int i = 0; i < wide.length; i++) {
            wide[i] = tokenIds[i];
        }
        return OnnxTensor.createTensor(env, LongBuffer.wrap(wide), shape);
    }
}
