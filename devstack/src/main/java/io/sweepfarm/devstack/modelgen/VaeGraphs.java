package io.sweepfarm.devstack.modelgen;

import java.util.List;

/**
 * Miniature VAE halves with the exported SD interface. Decoder: {@code latent_sample} [batch, 4,
 * height, width] (already divided by the scaling factor) to {@code sample} [batch, 3, 8*height,
 * 8*width] in (-1, 1) via convs, DepthToSpace(8) and Tanh. Encoder: {@code sample} [batch, 3, height,
 * width] via SpaceToDepth(8) and convs to either {@code latent_parameters} [batch, 8, height/8,
 * width/8] (mean then logvar, optimum 1.23+) or {@code latent_sample} [batch, 4, height/8, width/8]
 * (older exporters sample inside the graph; this one returns the mean so tests stay reproducible).
 */
final class VaeGraphs {

    /** Latent scaling factor of SD 1.x/2.x VAEs. */
    static final float SCALING_FACTOR = 0.18215f;
    /** Latent scaling factor of SDXL's VAE. */
    static final float SDXL_SCALING_FACTOR = 0.13025f;

    private VaeGraphs() {
    }

    static OnnxGraph decoder(Options o) {
        OnnxGraph g = new OnnxGraph("vae_decoder");
        DataType io = o.float16() ? DataType.FLOAT16 : DataType.FLOAT;
        Layers l = new Layers(g, o.seed() * 31 + 3, io);
        int c = o.vaeChannels();
        String z = l.toFloat(g.input("latent_sample", io, "batch", 4L, "height", "width"), io);
        z = g.op("Mul", z, g.floatScalar("scaling", o.sdxl() ? SDXL_SCALING_FACTOR : SCALING_FACTOR));
        String h = l.silu(l.conv(z, "decoder.conv_in", 4, c, 3, 1f));
        h = l.silu(l.conv(h, "decoder.mid.conv", c, c, 3, 1f));
        h = l.conv(h, "decoder.to_pixels", c, 3 * 64, 1, 1f);
        String image = g.op("DepthToSpace", List.of(Attr.i("blocksize", 8), Attr.s("mode", "CRD")), h);
        image = l.conv(image, "decoder.conv_out", 3, 3, 3, 1f);
        l.output(g.op("Tanh", image), "sample", io, "batch", 3L, "height_8", "width_8");
        return g;
    }

    static OnnxGraph encoder(Options o) {
        OnnxGraph g = new OnnxGraph("vae_encoder");
        DataType io = o.float16() ? DataType.FLOAT16 : DataType.FLOAT;
        Layers l = new Layers(g, o.seed() * 31 + 4, io);
        int c = o.vaeChannels();
        String x = l.toFloat(g.input("sample", io, "batch", 3L, "height", "width"), io);
        String h = g.op("SpaceToDepth", List.of(Attr.i("blocksize", 8)), x);
        h = l.silu(l.conv(h, "encoder.conv_in", 3 * 64, c, 1, 1f));
        h = l.conv(h, "encoder.conv_out", c, 8, 3, 1f);
        float[] scale = {5.5f, 5.5f, 5.5f, 5.5f, 0.5f, 0.5f, 0.5f, 0.5f};
        float[] shift = {0, 0, 0, 0, -4f, -4f, -4f, -4f};
        h = g.op("Mul", h, g.initializer(Tensor.floats("moments_scale", DataType.FLOAT, new long[] {1, 8, 1, 1}, scale)));
        h = g.op("Add", h, g.initializer(Tensor.floats("moments_shift", DataType.FLOAT, new long[] {1, 8, 1, 1}, shift)));
        if (o.vaeEncoder() == Options.VaeEncoder.LATENT_PARAMETERS) {
            l.output(h, "latent_parameters", io, "batch", 8L, "height_div_8", "width_div_8");
        } else {
            String mean = g.op("Slice", h, g.int64s("starts", 0), g.int64s("ends", 4), g.int64s("axes", 1));
            l.output(mean, "latent_sample", io, "batch", 4L, "height_div_8", "width_div_8");
        }
        return g;
    }
}
