package io.sweepfarm.devstack.modelgen;

import java.util.List;

/**
 * A miniature conditional U-Net with the exported SD interface: {@code sample} [batch, 4|9, height,
 * width], {@code timestep} (float [batch], float scalar or int64 [batch]) and
 * {@code encoder_hidden_states} [batch, sequence, hidden] to {@code out_sample} [batch, 4, height,
 * width]. Inside: a sinusoidal timestep embedding (cos then sin, as diffusers' flip_sin_to_cos) and an
 * MLP, an input conv, {@code unetBlocks} x (resnet block with the time embedding added, cross-attention
 * with queries from the latent pixels and keys/values from the text states), an output conv. A skip
 * from the first four input channels keeps the prediction correlated with the noisy latents, as a
 * trained noise predictor is, so samplers stay numerically tame.
 */
final class UNetGraph {

    private static final int TIME_FREQS = 16;

    private UNetGraph() {
    }

    static OnnxGraph build(Options o) {
        OnnxGraph g = new OnnxGraph("unet");
        DataType io = o.float16() ? DataType.FLOAT16 : DataType.FLOAT;
        Layers l = new Layers(g, o.seed() * 31 + 2, io);
        int c = o.unetChannels();
        int d = o.textHidden();
        String sample = l.toFloat(g.input("sample", io, "batch", (long) o.unetInChannels(), "height", "width"), io);
        String t = switch (o.timestep()) {
            case FLOAT_BATCH -> l.toFloat(g.input("timestep", io, "batch"), io);
            case FLOAT_SCALAR -> l.toFloat(g.input("timestep", io), io);
            case INT64_BATCH -> l.cast(g.input("timestep", DataType.INT64, "batch"), DataType.FLOAT);
        };
        String context = l.toFloat(g.input("encoder_hidden_states", io, "batch", "sequence", (long) d), io);

        String temb = timeEmbedding(g, l, t, c);
        String h = l.conv(sample, "conv_in", o.unetInChannels(), c, 3, 1f);
        for (int b = 0; b < o.unetBlocks(); b++) {
            h = resnet(g, l, h, temb, "down_blocks." + b + ".resnets.0", c);
            h = crossAttention(g, l, h, context, "down_blocks." + b + ".attentions.0", c, d);
        }
        String out = l.conv(l.silu(h), "conv_out", c, 4, 3, 0.5f);
        String noisy = g.op("Slice", sample, g.int64s("starts", 0), g.int64s("ends", 4), g.int64s("axes", 1));
        out = g.op("Add", out, g.op("Mul", noisy, g.floatScalar("skip", 0.8f)));
        l.output(out, "out_sample", io, "batch", 4L, "height", "width");
        return g;
    }

    /** t ([B] or []) to [B|1, c]. */
    private static String timeEmbedding(OnnxGraph g, Layers l, String t, int c) {
        float[] freqs = new float[TIME_FREQS];
        for (int i = 0; i < TIME_FREQS; i++) {
            freqs[i] = (float) Math.exp(-Math.log(10000) * i / TIME_FREQS);
        }
        String f = g.initializer(Tensor.floats("time_proj.freqs", DataType.FLOAT, new long[] {1, TIME_FREQS}, freqs));
        String args = g.op("Mul", g.op("Reshape", t, g.int64s("shape", -1, 1)), f);
        String emb = g.op("Concat", List.of(Attr.i("axis", 1)), g.op("Cos", args), g.op("Sin", args));
        String hidden = l.silu(l.linear(emb, "time_embedding.linear_1", 2 * TIME_FREQS, 4 * c, true));
        return l.linear(hidden, "time_embedding.linear_2", 4 * c, 4 * c, true);
    }

    private static String resnet(OnnxGraph g, Layers l, String h, String temb, String name, int c) {
        String r = l.conv(l.silu(h), name + ".conv1", c, c, 3, 1f);
        String tproj = l.linear(l.silu(temb), name + ".time_emb_proj", 4 * c, c, true);
        r = g.op("Add", r, g.op("Unsqueeze", tproj, g.int64s("axes", 2, 3)));
        r = l.conv(l.silu(r), name + ".conv2", c, c, 3, 0.5f);
        return g.op("Add", h, r);
    }

    private static String crossAttention(OnnxGraph g, Layers l, String h, String context, String name, int c, int d) {
        String tokens = g.op("Transpose", List.of(Attr.ints("perm", 0, 2, 1)),
                g.op("Reshape", h, g.int64s("shape", 0, 0, -1)));
        String normed = l.layerNorm(tokens, name + ".norm", c);
        String attended = l.attention(normed, context, name + ".attn2", c, d, c);
        String back = g.op("Reshape", g.op("Transpose", List.of(Attr.ints("perm", 0, 2, 1)), attended), g.op("Shape", h));
        return g.op("Add", h, back);
    }
}
