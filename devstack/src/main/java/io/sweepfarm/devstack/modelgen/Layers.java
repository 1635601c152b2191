package io.sweepfarm.devstack.modelgen;

import java.util.List;
import java.util.Random;

/**
 * Neural-network building blocks on an {@link OnnxGraph}, computing in float32. Weights are
 * seeded pseudo-random normals scaled by 1/sqrt(fan-in) so activations stay near unit scale. Each
 * weight's stream is seeded from the model seed and the weight's name, so adding a layer does not
 * change the others. With FLOAT16 storage the initializer is fp16 followed by a Cast to float (ONNX
 * Runtime folds the cast at load), the way mixed-precision exports keep fp16 weights.
 */
final class Layers {

    final OnnxGraph g;
    private final long seed;
    private int anonymous;
    private final DataType storage;

    Layers(OnnxGraph graph, long seed, DataType storage) {
        this.g = graph;
        this.seed = seed;
        this.storage = storage;
    }

    /** A weight tensor of normals with standard deviation {@code std} around {@code mean}; returns a float value name. */
    String weight(String name, float mean, float std, long... dims) {
        return weight(name, name, mean, std, dims);
    }

    /**
     * As {@link #weight(String, float, float, long...)}, stored under {@code initializerName} (the values still
     * follow {@code name}, so renaming an initializer never changes a model's numbers).
     */
    String weight(String name, String initializerName, float mean, float std, long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        Random random = new Random(seed * 1_000_003L + name.hashCode());
        float[] values = new float[Math.toIntExact(n)];
        for (int i = 0; i < values.length; i++) {
            values[i] = mean + std * (float) random.nextGaussian();
        }
        String stored = g.initializer(Tensor.floats(initializerName, storage, dims, values));
        return storage == DataType.FLOAT16 ? cast(stored, DataType.FLOAT) : stored;
    }

    String cast(String x, DataType to) {
        return g.op("Cast", List.of(Attr.i("to", to.onnxCode())), x);
    }

    /**
     * x [..., in] -> [..., out], laid out as torch.onnx exports a {@code Linear}: a MatMul node named after the
     * module path ({@code /down_blocks.0/attentions.0/attn2/to_q/MatMul}) whose weight is the transposed [in, out]
     * matrix under an anonymous {@code onnx::MatMul_N} name (the module's name survives only in the node's), and
     * an Add of the bias, which keeps its {@code <module>.bias} name.
     */
    String linear(String x, String name, int in, int out, boolean bias) {
        String w = weight(name + ".weight", "onnx::MatMul_" + ++anonymous, 0f, (float) (1 / Math.sqrt(in)), in, out);
        String y = g.fresh("matmul");
        g.node("MatMul", "/" + modulePath(name) + "/MatMul", List.of(x, w), List.of(y), List.of());
        return bias ? g.op("Add", y, weight(name + ".bias", 0f, 0.02f, out)) : y;
    }

    /** torch.onnx's node path of a module: one segment per module, list indices kept with their list. */
    static String modulePath(String dotted) {
        StringBuilder path = new StringBuilder();
        for (String part : dotted.split("\\.")) {
            boolean index = !part.isEmpty() && part.chars().allMatch(Character::isDigit);
            path.append(path.length() == 0 ? "" : index ? "." : "/").append(part);
        }
        return path.toString();
    }

    /** Same-padded 2-D convolution, NCHW. {@code gain} scales the weights. */
    String conv(String x, String name, int in, int out, int kernel, float gain) {
        float std = gain / (float) Math.sqrt((double) in * kernel * kernel);
        String w = weight(name + ".weight", 0f, std, out, in, kernel, kernel);
        String b = weight(name + ".bias", 0f, 0.02f, out);
        int pad = kernel / 2;
        return g.op("Conv", List.of(Attr.ints("kernel_shape", kernel, kernel), Attr.ints("pads", pad, pad, pad, pad)),
                x, w, b);
    }

    /** Converts a graph input of {@code ioType} to float (a Cast for fp16, nothing otherwise). */
    String toFloat(String x, DataType ioType) {
        return ioType == DataType.FLOAT ? x : cast(x, DataType.FLOAT);
    }

    /** Makes float value {@code x} the graph output {@code name} of {@code ioType} with the given dims. */
    void output(String x, String name, DataType ioType, Object... dims) {
        if (ioType == DataType.FLOAT) {
            g.node("Identity", List.of(x), List.of(name), List.of());
        } else {
            g.node("Cast", List.of(x), List.of(name), List.of(Attr.i("to", ioType.onnxCode())));
        }
        g.output(name, ioType, dims);
    }

    String silu(String x) {
        return g.op("Mul", x, g.op("Sigmoid", x));
    }

    /** CLIP's quick GELU, x * sigmoid(1.702 x). */
    String quickGelu(String x) {
        return g.op("Mul", x, g.op("Sigmoid", g.op("Mul", x, g.floatScalar("gelu_k", 1.702f))));
    }

    /** LayerNormalization over the last axis. */
    String layerNorm(String x, String name, int dim) {
        String scale = weight(name + ".weight", 1f, 0.1f, dim);
        String bias = weight(name + ".bias", 0f, 0.05f, dim);
        return g.op("LayerNormalization", List.of(Attr.i("axis", -1), Attr.f("epsilon", 1e-5f)), x, scale, bias);
    }

    /**
     * Single-head scaled dot-product attention: queries from {@code x} [B, N, dimX], keys and values
     * from {@code context} [B, S, dimCtx]; returns [B, N, dimX] (after the output projection).
     */
    String attention(String x, String context, String name, int dimX, int dimCtx, int inner) {
        return attention(x, context, name, dimX, dimCtx, inner, null, DIFFUSERS);
    }

    /** The projection names of an attention module: diffusers' {@code to_q ... to_out.0} or CLIP's {@code q_proj ...}. */
    record AttentionNames(String q, String k, String v, String out) {
    }

    static final AttentionNames DIFFUSERS = new AttentionNames("to_q", "to_k", "to_v", "to_out.0");
    static final AttentionNames CLIP = new AttentionNames("q_proj", "k_proj", "v_proj", "out_proj");

    /**
     * As {@link #attention(String, String, String, int, int, int)}, adding {@code mask} (broadcast to [B, N, S]) to
     * the scores, with the projections named {@code names}.
     */
    String attention(String x, String context, String name, int dimX, int dimCtx, int inner, String mask,
            AttentionNames names) {
        String q = linear(x, name + "." + names.q(), dimX, inner, false);
        String k = linear(context, name + "." + names.k(), dimCtx, inner, false);
        String v = linear(context, name + "." + names.v(), dimCtx, inner, false);
        String kT = g.op("Transpose", List.of(Attr.ints("perm", 0, 2, 1)), k);
        String scores = g.op("Mul", g.op("MatMul", q, kT), g.floatScalar("attn_scale", (float) (1 / Math.sqrt(inner))));
        if (mask != null) {
            scores = g.op("Add", scores, mask);
        }
        String probs = g.op("Softmax", List.of(Attr.i("axis", -1)), scores);
        return linear(g.op("MatMul", probs, v), name + "." + names.out(), inner, dimX, true);
    }
}
