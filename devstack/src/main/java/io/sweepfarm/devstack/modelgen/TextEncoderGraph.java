package io.sweepfarm.devstack.modelgen;

import java.util.List;

/**
 * A small CLIP-like text encoder: token and position embeddings, {@code layers} pre-norm blocks with causal
 * self-attention and a quick-GELU MLP, a final LayerNorm, weights named as in transformers' {@code CLIPTextModel}.
 * Inputs and outputs as optimum exports it: {@code input_ids} [batch, sequence] (int32 or int64) to
 * {@code last_hidden_state} [batch, sequence, hidden] and the pooled state at the highest token id (at
 * {@code <|endoftext|>}, as CLIP pools): {@code pooler_output} [batch, hidden] for a {@code CLIPTextModel}, or, with a
 * projection ({@code CLIPTextModelWithProjection}, SDXL's second encoder), {@code text_embeds} [batch, projection]
 * first. With {@code hiddenStates} (SDXL exports, {@code output_hidden_states=True}) it also outputs
 * {@code hidden_states.0} (the embeddings) to {@code hidden_states.<layers>} (the last block's output, before the
 * final LayerNorm), the order optimum writes them in.
 */
final class TextEncoderGraph {

    static final int MAX_POSITIONS = 77;

    private TextEncoderGraph() {
    }

    /**
     * @param hidden     width of the hidden states
     * @param layers     transformer blocks
     * @param projection {@code text_embeds} width, or 0 for a plain {@code CLIPTextModel}
     * @param seedSalt   distinguishes the weights of two encoders of one model
     */
    static OnnxGraph build(Options o, int vocabSize, int hidden, int layers, int projection, boolean hiddenStates,
            long seedSalt) {
        OnnxGraph g = new OnnxGraph("text_encoder");
        DataType io = o.float16() ? DataType.FLOAT16 : DataType.FLOAT;
        Layers l = new Layers(g, o.seed() * 31 + 1 + seedSalt, io);
        int d = hidden;
        String ids = g.input("input_ids", o.inputIds() == Options.InputIds.INT32 ? DataType.INT32 : DataType.INT64,
                "batch", "sequence");

        String tokens = g.op("Gather", List.of(Attr.i("axis", 0)),
                l.weight("text_model.embeddings.token_embedding.weight", 0f, 1f, vocabSize, d), ids);
        String seqLen = g.op("Gather", List.of(Attr.i("axis", 0)), g.op("Shape", ids), g.int64Scalar("one", 1));
        String positions = g.op("Range", g.int64Scalar("zero", 0), seqLen, g.int64Scalar("one", 1));
        String pos = g.op("Gather", List.of(Attr.i("axis", 0)),
                l.weight("text_model.embeddings.position_embedding.weight", 0f, 0.5f, MAX_POSITIONS, d), positions);
        String h = g.op("Add", tokens, pos);
        String mask = causalMask(g, seqLen);
        String[] states = new String[layers + 1];
        states[0] = h;
        for (int layer = 0; layer < layers; layer++) {
            String name = "text_model.encoder.layers." + layer;
            String a = l.layerNorm(h, name + ".layer_norm1", d);
            h = g.op("Add", h, l.attention(a, a, name + ".self_attn", d, d, d, mask, Layers.CLIP));
            String m = l.layerNorm(h, name + ".layer_norm2", d);
            m = l.linear(l.quickGelu(l.linear(m, name + ".mlp.fc1", d, 4 * d, true)), name + ".mlp.fc2", 4 * d, d,
                    true);
            h = g.op("Add", h, m);
            states[layer + 1] = h;
        }
        String last = l.layerNorm(h, "text_model.final_layer_norm", d);
        String eos = g.op("ArgMax", List.of(Attr.i("axis", 1), Attr.i("keepdims", 1)), l.cast(ids, DataType.FLOAT));
        String pooled = g.op("GatherND", List.of(Attr.i("batch_dims", 1)), last, eos);
        if (projection > 0) {
            String embeds = g.op("MatMul", pooled, l.weight("text_projection.weight", 0f,
                    (float) (1 / Math.sqrt(d)), d, projection));
            l.output(embeds, "text_embeds", io, "batch", (long) projection);
            l.output(last, "last_hidden_state", io, "batch", "sequence", (long) d);
        } else {
            l.output(last, "last_hidden_state", io, "batch", "sequence", (long) d);
            l.output(pooled, "pooler_output", io, "batch", (long) d);
        }
        if (hiddenStates) {
            for (int i = 0; i <= layers; i++) {
                l.output(states[i], "hidden_states." + i, io, "batch", "sequence", (long) d);
            }
        }
        return g;
    }

    /** [S, S] with 0 on and below the diagonal and -1e4 above, cut from a 77x77 constant. */
    private static String causalMask(OnnxGraph g, String seqLen) {
        float[] mask = new float[MAX_POSITIONS * MAX_POSITIONS];
        for (int i = 0; i < MAX_POSITIONS; i++) {
            for (int j = i + 1; j < MAX_POSITIONS; j++) {
                mask[i * MAX_POSITIONS + j] = -1e4f;
            }
        }
        String full = g.initializer(Tensor.floats("causal_mask", DataType.FLOAT,
                new long[] {MAX_POSITIONS, MAX_POSITIONS}, mask));
        String len1 = g.op("Unsqueeze", seqLen, g.int64s("axes", 0));
        String ends = g.op("Concat", List.of(Attr.i("axis", 0)), len1, len1);
        return g.op("Slice", full, g.int64s("starts", 0, 0), ends, g.int64s("axes", 0, 1));
    }
}
