package io.sweepfarm.engine.model;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CLIP text encoder ({@code text_encoder/model.onnx}, SDXL's {@code text_encoder_2/model.onnx}): token ids
 * [batch, seqLen] to hidden states [batch, seqLen, hidden]. Accepts {@code input_ids} of int32 (diffusers' conversion
 * script) or int64 (optimum), float32 or float16 outputs.
 *
 * <p>SD 1.x/2.x use {@code last_hidden_state} ({@link #encode}). SDXL uses the penultimate layer's hidden states and
 * the pooled embedding ({@link #encodePenultimate}): exports with {@code output_hidden_states} carry
 * {@code hidden_states.0} (the embeddings) to {@code hidden_states.<layers>}, and the pooled output is
 * {@code text_embeds} (CLIPTextModelWithProjection, SDXL's second encoder) or {@code pooler_output}.
 *
 * <p>Owns its session; close it once. Thread-safe: calls run one at a time.
 */
public final class TextEncoder extends OnnxModel {

    private final Spec ids;
    private final Spec last;
    private final List<Spec> hiddenStates;
    private final Spec pooled;
    private final int hiddenSize;

    /** Penultimate hidden states [batch, seq, width] and the pooled embedding [batch, pooledWidth] (null if none). */
    public record Encoded(float[] hidden, int width, float[] pooled, int pooledWidth) {
    }

    public TextEncoder(SessionFactory factory, Path modelFile, String label) {
        this(factory.open(modelFile, label), label);
    }

    /** A wrapper around an opened session (e.g. one with LoRA-patched weights), which it then owns. */
    public TextEncoder(SessionFactory.OpenSession open, String label) {
        super(open, label);
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
            last = requireFloat(requireRank(lastHiddenState(), "output", 3, "[batch, sequence, hidden]"), "output");
            hiddenSize = (int) last.dim(2);
            List<Spec> states = new ArrayList<>();
            for (int i = 0; outputNames().contains("hidden_states." + i); i++) {
                states.add(requireFloat(requireRank(output("hidden_states." + i, false), "output", 3,
                        "[batch, sequence, hidden]"), "output"));
            }
            hiddenStates = List.copyOf(states);
            Spec p = outputNames().contains("text_embeds") ? output("text_embeds", false)
                    : outputNames().contains("pooler_output") ? output("pooler_output", false) : null;
            pooled = p == null ? null : requireFloat(requireRank(p, "output", 2, "[batch, width]"), "output");
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

    /** Width of the pooled output as declared, -1 if symbolic, 0 if the export has none. */
    public int pooledSize() {
        return pooled == null ? 0 : (int) pooled.dim(1);
    }

    /** True when the export carries the per-layer hidden states SDXL needs. */
    public boolean exportsHiddenStates() {
        return hiddenStates.size() >= 2;
    }

    /** Element type the model wants for {@code input_ids}: INT32 or INT64. */
    public OnnxJavaType idsType() {
        return ids.type();
    }

    /**
     * Encodes {@code batch} rows of {@code seqLen} token ids (row-major, {@code ids.length ==
     * batch * seqLen}). Returns {@code last_hidden_state}, a new array [batch, seqLen, hidden], row-major.
     */
    public synchronized float[] encode(int[] tokenIds, int batch, int seqLen) {
        return run(tokenIds, batch, seqLen, List.of(last)).get(0);
    }

    /**
     * SDXL's text conditioning: the hidden states of the penultimate layer (diffusers' {@code hidden_states[-2]})
     * and the pooled embedding. Fails, naming the file, when the export has no hidden-state outputs.
     */
    public synchronized Encoded encodePenultimate(int[] tokenIds, int batch, int seqLen) {
        if (!exportsHiddenStates()) {
            throw new ModelLoadException(label + ": SDXL needs the text encoder's hidden states, but this export has "
                    + "no hidden_states.N outputs; export it with output_hidden_states (optimum does for SDXL)");
        }
        Spec penultimate = hiddenStates.get(hiddenStates.size() - 2);
        List<float[]> out = run(tokenIds, batch, seqLen, pooled == null ? List.of(penultimate)
                : List.of(penultimate, pooled));
        float[] hidden = out.get(0);
        float[] pool = pooled == null ? null : out.get(1);
        return new Encoded(hidden, hidden.length / (batch * seqLen), pool, pool == null ? 0 : pool.length / batch);
    }

    private List<float[]> run(int[] tokenIds, int batch, int seqLen, List<Spec> wanted) {
        if (tokenIds.length != batch * seqLen) {
            throw new IllegalArgumentException("ids has " + tokenIds.length + " entries, expected " + batch + "x" + seqLen);
        }
        Set<String> names = new LinkedHashSet<>();
        wanted.forEach(w -> names.add(w.name()));
        try (OnnxTensor in = idsTensor(tokenIds, new long[] {batch, seqLen});
             OrtSession.Result result = session.run(Map.of(ids.name(), in), names)) {
            List<float[]> out = new ArrayList<>();
            for (Spec w : wanted) {
                OnnxTensor t = (OnnxTensor) result.get(w.name()).orElseThrow();
                long[] shape = t.getInfo().getShape();
                long count = 1;
                for (long d : shape) {
                    count *= d;
                }
                if (shape[0] != batch || (shape.length == 3 && shape[1] != seqLen)) {
                    throw new ModelRunException(label + ": output '" + w.name() + "' has shape "
                            + java.util.Arrays.toString(shape) + " for " + batch + "x" + seqLen + " ids", null);
                }
                out.add(floats(t, w.name(), count));
            }
            return out;
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
