package io.sweepfarm.devstack.modelgen;

import java.util.List;

/**
 * A miniature ControlNet with the interface a separately exported ControlNet has: {@code sample}, {@code timestep},
 * {@code encoder_hidden_states} as the U-Net takes them, {@code controlnet_cond} [batch, 3, 8·height, 8·width] (the
 * control image in [0, 1]) and {@code conditioning_scale} (float scalar), to {@code down_block_res_sample_<i>} (one
 * after conv_in and one per block, [batch, channels, height, width]) and {@code mid_block_res_sample}, each scaled
 * by {@code conditioning_scale}. Inside: the U-Net's stem with the control image embedded (SpaceToDepth, convs) and
 * added after conv_in, the same blocks, and a 1x1 "zero conv" per output ({@code controlnet_down_blocks.<i>},
 * {@code controlnet_mid_block}), here with small non-zero weights so the residuals are visible in tests.
 */
final class ControlNetGraph {

    private ControlNetGraph() {
    }

    static OnnxGraph build(Options o) {
        OnnxGraph g = new OnnxGraph("controlnet");
        DataType io = o.float16() ? DataType.FLOAT16 : DataType.FLOAT;
        Layers l = new Layers(g, o.seed() * 31 + 7, io);
        int c = o.unetChannels();
        int d = o.crossAttentionDim();
        String sample = l.toFloat(g.input("sample", io, "batch", 4L, "height", "width"), io);
        String t = UNetGraph.timestepInput(g, l, o, io);
        String context = l.toFloat(g.input("encoder_hidden_states", io, "batch", "sequence", (long) d), io);
        String cond = l.toFloat(g.input("controlnet_cond", io, "batch", 3L, "height_8", "width_8"), io);
        String scale = l.toFloat(g.input("conditioning_scale", io), io);

        String temb = UNetGraph.timeEmbedding(g, l, t, c, "time_embedding");
        String hint = g.op("SpaceToDepth", List.of(Attr.i("blocksize", 8)), cond);
        hint = l.silu(l.conv(hint, "controlnet_cond_embedding.conv_in", 3 * 64, c, 1, 1f));
        hint = l.conv(hint, "controlnet_cond_embedding.conv_out", c, c, 3, 1f);
        String h = g.op("Add", l.conv(sample, "conv_in", 4, c, 3, 1f), hint);
        residual(g, l, h, scale, "controlnet_down_blocks.0", c, io, "down_block_res_sample_0");
        for (int b = 0; b < o.unetBlocks(); b++) {
            h = UNetGraph.resnet(g, l, h, temb, "down_blocks." + b + ".resnets.0", c);
            h = UNetGraph.crossAttention(g, l, h, context, "down_blocks." + b + ".attentions.0", c, d);
            residual(g, l, h, scale, "controlnet_down_blocks." + (b + 1), c, io, "down_block_res_sample_" + (b + 1));
        }
        residual(g, l, h, scale, "controlnet_mid_block", c, io, "mid_block_res_sample");
        return g;
    }

    private static void residual(OnnxGraph g, Layers l, String h, String scale, String name, int c, DataType io,
            String output) {
        String r = g.op("Mul", l.conv(h, name, c, c, 1, 0.3f), scale);
        l.output(r, output, io, "batch", (long) c, "height", "width");
    }
}
