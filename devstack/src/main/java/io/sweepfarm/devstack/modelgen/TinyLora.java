package io.sweepfarm.devstack.modelgen;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes LoRA files for the tiny models, as {@code .safetensors} (8-byte little-endian header length, JSON header,
 * row-major little-endian data) in the two key styles in use: kohya ({@code lora_unet_..._to_q.lora_down.weight},
 * {@code .lora_up.weight}, {@code .alpha}; text encoder {@code lora_te_}, SDXL {@code lora_te1_}/{@code lora_te2_})
 * and diffusers/PEFT ({@code unet....to_q.lora_A.weight}, {@code .lora_B.weight}; {@code text_encoder.},
 * {@code text_encoder_2.}). A LoRA targets every U-Net block's cross-attention projections and first resnet conv
 * (a LoCon-style [rank, in, 3, 3] down), and the text encoders' first-layer query and value projections. The values
 * depend only on the options, rank and seed, so the two styles of one LoRA hold the same update.
 */
public final class TinyLora {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Key style of the file. */
    public enum Style { KOHYA, PEFT }

    private TinyLora() {
    }

    /** One module's update; {@code in} covers a conv's [in, k, k]. */
    private record Target(String prefixKohya, String prefixPeft, String path, int out, long[] in) {
    }

    /**
     * Writes a LoRA for the model {@code o} describes.
     *
     * @param alpha written as {@code .alpha} for kohya (PEFT files carry none, i.e. alpha = rank)
     */
    public static Path write(Path file, Options o, Style style, int rank, long seed, float alpha) throws IOException {
        return write(file, targets(o), style, rank, seed, style == Style.KOHYA ? alpha : Float.NaN);
    }

    /** Writes a LoRA whose modules the tiny model does not have (as a LoRA meets an export that lost its names). */
    public static Path writeForeign(Path file, Style style) throws IOException {
        List<Target> foreign = List.of(new Target("lora_unet_", "unet.", "mid_block.attentions.0.transformer_blocks.0.attn1.to_q",
                16, new long[] {16}));
        return write(file, foreign, style, 2, 1, Float.NaN);
    }

    private static List<Target> targets(Options o) {
        int c = o.unetChannels();
        int d = o.crossAttentionDim();
        List<Target> t = new ArrayList<>();
        for (int b = 0; b < o.unetBlocks(); b++) {
            String attn = "down_blocks." + b + ".attentions.0.attn2.";
            t.add(new Target("lora_unet_", "unet.", attn + "to_q", c, new long[] {c}));
            t.add(new Target("lora_unet_", "unet.", attn + "to_k", c, new long[] {d}));
            t.add(new Target("lora_unet_", "unet.", attn + "to_v", c, new long[] {d}));
            t.add(new Target("lora_unet_", "unet.", attn + "to_out.0", c, new long[] {c}));
            t.add(new Target("lora_unet_", "unet.", "down_blocks." + b + ".resnets.0.conv1", c, new long[] {c, 3, 3}));
        }
        boolean xl = o.sdxl();
        if (o.family() != Options.Family.SDXL_REFINER) {
            String k = xl ? "lora_te1_" : "lora_te_";
            for (String proj : List.of("q_proj", "v_proj")) {
                t.add(new Target(k, "text_encoder.", "text_model.encoder.layers.0.self_attn." + proj,
                        o.textHidden(), new long[] {o.textHidden()}));
            }
        }
        if (xl) {
            t.add(new Target("lora_te2_", "text_encoder_2.", "text_model.encoder.layers.0.self_attn.q_proj",
                    o.text2Hidden(), new long[] {o.text2Hidden()}));
        }
        return t;
    }

    private static Path write(Path file, List<Target> targets, Style style, int rank, long seed, float alpha)
            throws IOException {
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (Target t : targets) {
            long in = 1;
            for (long v : t.in()) {
                in *= v;
            }
            Random random = new Random(seed * 7919 + t.path().hashCode());
            float[] down = gaussian(random, rank * (int) in, (float) (1 / Math.sqrt(in)));
            float[] up = gaussian(random, t.out() * rank, (float) (0.5 / Math.sqrt(rank)));
            long[] downShape = new long[t.in().length + 1];
            downShape[0] = rank;
            System.arraycopy(t.in(), 0, downShape, 1, t.in().length);
            long[] upShape = t.in().length == 1 ? new long[] {t.out(), rank} : new long[] {t.out(), rank, 1, 1};
            String key = style == Style.KOHYA ? t.prefixKohya() + t.path().replace('.', '_') : t.prefixPeft() + t.path();
            String downKey = key + (style == Style.KOHYA ? ".lora_down.weight" : ".lora_A.weight");
            String upKey = key + (style == Style.KOHYA ? ".lora_up.weight" : ".lora_B.weight");
            values.put(downKey, down);
            shapes.put(downKey, downShape);
            values.put(upKey, up);
            shapes.put(upKey, upShape);
            if (!Float.isNaN(alpha)) {
                values.put(key + ".alpha", new float[] {alpha});
                shapes.put(key + ".alpha", new long[0]);
            }
        }
        writeSafeTensors(file, values, shapes);
        return file;
    }

    private static float[] gaussian(Random random, int n, float std) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = std * (float) random.nextGaussian();
        }
        return out;
    }

    /** Writes float32 tensors as a safetensors file (header padded with spaces to 8 bytes, as the reference does). */
    static void writeSafeTensors(Path file, Map<String, float[]> values, Map<String, long[]> shapes)
            throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("__metadata__", Map.of("format", "pt"));
        long offset = 0;
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", "F32");
            info.put("shape", shapes.get(e.getKey()));
            info.put("data_offsets", List.of(offset, offset + 4L * e.getValue().length));
            header.put(e.getKey(), info);
            offset += 4L * e.getValue().length;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(json);
            out.write(" ".repeat(padded - json.length).getBytes(StandardCharsets.US_ASCII));
            for (float[] v : values.values()) {
                ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : v) {
                    b.putFloat(f);
                }
                out.write(b.array());
            }
        }
    }
}
