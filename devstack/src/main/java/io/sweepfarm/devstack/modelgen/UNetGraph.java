package io.sweepfarm.devstack.modelgen;

import java.util.ArrayList;
import java.util.List;

/**
 * A miniature conditional U-Net with the exported SD interface: {@code sample} [batch, 4|5|9, height, width],
 * {@code timestep} (float [batch], float scalar or int64 [batch]) and {@code encoder_hidden_states} [batch, sequence,
 * hidden] to {@code out_sample} [batch, 4, height, width]. Inside: a sinusoidal timestep embedding (cos then sin, as
 * diffusers' flip_sin_to_cos) and an MLP, an input conv, {@code unetBlocks} x (resnet block with the time embedding
 * added, cross-attention with queries from the latent pixels and keys/values from the text states), an output conv.
 * A skip from the first four input channels keeps the prediction correlated with the noisy latents, as a trained
 * noise predictor is, so samplers stay numerically tame.
 *
 * <p>SDXL adds {@code text_embeds} [batch, projection] and {@code time_ids} [batch, 6] (refiner: 5): each time id
 * gets a sinusoidal embedding, and with the pooled text embedding they pass an MLP ({@code add_embedding}) added to
 * the time embedding, as SDXL's "text_time" additional conditioning does. A ControlNet-ready export adds
 * {@code down_block_additional_residual_<i>} (after conv_in and after each block, [batch, channels, h, w]) and
 * {@code mid_block_additional_residual}, added to the hidden state where the ControlNet computed them.
 */
final class UNetGraph {

    static final int TIME_FREQS = 16;
    /** Sinusoid width per SDXL time id (SDXL's {@code addition_time_embed_dim} is 256). */
    static final int TIME_ID_FREQS = 4;

    private UNetGraph() {
    }

    static OnnxGraph build(Options o) {
        OnnxGraph g = new OnnxGraph("unet");
        DataType io = o.float16() ? DataType.FLOAT16 : DataType.FLOAT;
        Layers l = new Layers(g, o.seed() * 31 + 2, io);
        int c = o.unetChannels();
        int d = o.crossAttentionDim();
        String sample = l.toFloat(g.input("sample", io, "batch", (long) o.unetInChannels(), "height", "width"), io);
        String t = timestepInput(g, l, o, io);
        String context = l.toFloat(g.input("encoder_hidden_states", io, "batch", "sequence", (long) d), io);
        String temb = timeEmbedding(g, l, t, c, "time_embedding");
        if (o.sdxl()) {
            String textEmbeds = l.toFloat(g.input("text_embeds", io, "batch", (long) o.text2Hidden()), io);
            String timeIds = l.toFloat(g.input("time_ids", io, "batch", (long) o.timeIds()), io);
            temb = g.op("Add", temb, addedEmbedding(g, l, textEmbeds, timeIds, o, c));
        }
        List<String> residuals = new ArrayList<>();
        String mid = null;
        if (o.controlNet()) {
            for (int i = 0; i < o.controlNetResiduals(); i++) {
                residuals.add(l.toFloat(g.input("down_block_additional_residual_" + i, io, "batch", (long) c,
                        "height", "width"), io));
            }
            mid = l.toFloat(g.input("mid_block_additional_residual", io, "batch", (long) c, "height", "width"), io);
        }
        String h = l.conv(sample, "conv_in", o.unetInChannels(), c, 3, 1f);
        h = residuals.isEmpty() ? h : g.op("Add", h, residuals.get(0));
        for (int b = 0; b < o.unetBlocks(); b++) {
            h = resnet(g, l, h, temb, "down_blocks." + b + ".resnets.0", c);
            h = crossAttention(g, l, h, context, "down_blocks." + b + ".attentions.0", c, d);
            h = residuals.isEmpty() ? h : g.op("Add", h, residuals.get(b + 1));
        }
        h = mid == null ? h : g.op("Add", h, mid);
        String out = l.conv(l.silu(h), "conv_out", c, 4, 3, 0.5f);
        String noisy = g.op("Slice", sample, g.int64s("starts", 0), g.int64s("ends", 4), g.int64s("axes", 1));
        out = g.op("Add", out, g.op("Mul", noisy, g.floatScalar("skip", 0.8f)));
        l.output(out, "out_sample", io, "batch", 4L, "height", "width");
        return g;
    }

    static String timestepInput(OnnxGraph g, Layers l, Options o, DataType io) {
        return switch (o.timestep()) {
            case FLOAT_BATCH -> l.toFloat(g.input("timestep", io, "batch"), io);
            case FLOAT_SCALAR -> l.toFloat(g.input("timestep", io), io);
            case INT64_BATCH -> l.cast(g.input("timestep", DataType.INT64, "batch"), DataType.FLOAT);
        };
    }

    /** t ([B] or []) to [B|1, 4c]. */
    static String timeEmbedding(OnnxGraph g, Layers l, String t, int c, String name) {
        String emb = sinusoids(g, t, TIME_FREQS, "time_proj.freqs");
        String hidden = l.silu(l.linear(emb, name + ".linear_1", 2 * TIME_FREQS, 4 * c, true));
        return l.linear(hidden, name + ".linear_2", 4 * c, 4 * c, true);
    }

    /** x (any shape) to [N, 2·freqs]: cos then sin of x times geometric frequencies, one row per element. */
    private static String sinusoids(OnnxGraph g, String x, int freqs, String constName) {
        float[] f = new float[freqs];
        for (int i = 0; i < freqs; i++) {
            f[i] = (float) Math.exp(-Math.log(10000) * i / freqs);
        }
        String k = g.initializer(Tensor.floats(g.fresh(constName), DataType.FLOAT, new long[] {1, freqs}, f));
        String args = g.op("Mul", g.op("Reshape", x, g.int64s("shape", -1, 1)), k);
        return g.op("Concat", List.of(Attr.i("axis", 1)), g.op("Cos", args), g.op("Sin", args));
    }

    /** SDXL's additional conditioning: sinusoids of each time id, concatenated with the pooled text, through an MLP. */
    private static String addedEmbedding(OnnxGraph g, Layers l, String textEmbeds, String timeIds, Options o, int c) {
        int idWidth = o.timeIds() * 2 * TIME_ID_FREQS;
        String ids = g.op("Reshape", sinusoids(g, timeIds, TIME_ID_FREQS, "add_time_proj.freqs"),
                g.int64s("shape", -1, idWidth));
        String in = g.op("Concat", List.of(Attr.i("axis", 1)), textEmbeds, ids);
        String hidden = l.silu(l.linear(in, "add_embedding.linear_1", o.text2Hidden() + idWidth, 4 * c, true));
        return l.linear(hidden, "add_embedding.linear_2", 4 * c, 4 * c, true);
    }

    static String resnet(OnnxGraph g, Layers l, String h, String temb, String name, int c) {
        String r = l.conv(l.silu(h), name + ".conv1", c, c, 3, 1f);
        String tproj = l.linear(l.silu(temb), name + ".time_emb_proj", 4 * c, c, true);
        r = g.op("Add", r, g.op("Unsqueeze", tproj, g.int64s("axes", 2, 3)));
        r = l.conv(l.silu(r), name + ".conv2", c, c, 3, 0.5f);
        return g.op("Add", h, r);
    }

    static String crossAttention(OnnxGraph g, Layers l, String h, String context, String name, int c, int d) {
        String tokens = g.op("Transpose", List.of(Attr.ints("perm", 0, 2, 1)),
                g.op("Reshape", h, g.int64s("shape", 0, 0, -1)));
        String normed = l.layerNorm(tokens, name + ".norm", c);
        String attended = l.attention(normed, context, name + ".attn2", c, d, c);
        String back = g.op("Reshape", g.op("Transpose", List.of(Attr.ints("perm", 0, 2, 1)), attended), g.op("Shape", h));
        return g.op("Add", h, back);
    }
}
