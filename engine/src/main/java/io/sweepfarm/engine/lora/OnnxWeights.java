package io.sweepfarm.engine.lora;

import ai.onnxruntime.platform.Fp16Conversions;
import com.google.protobuf.CodedInputStream;
import io.sweepfarm.onnx.AttributeProto;
import io.sweepfarm.onnx.ModelProto;
import io.sweepfarm.onnx.NodeProto;
import io.sweepfarm.onnx.StringStringEntryProto;
import io.sweepfarm.onnx.TensorProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The weights of an ONNX model that a LoRA can target, found by name. A module's weight is the initializer named
 * {@code <module>.weight} (torch.onnx keeps the names of Conv weights and of what it does not fold), or the
 * initializer feeding a MatMul/Gemm/Conv node named after the module ({@code /down_blocks.0/attentions.0/.../to_q/MatMul}
 * → {@code down_blocks.0.attentions.0....to_q}), which is how a Linear whose transposed weight became
 * {@code onnx::MatMul_N} keeps its module name. Casts between an initializer and its node are followed (fp16
 * exports). The layout follows the node: MatMul (and Gemm without {@code transB}) hold [in, out], Conv and Gemm with
 * {@code transB} hold torch's [out, in, ...].
 *
 * <p>The model file is memory-mapped and parsed without copying its weights; weights are read on demand, from the
 * file or from its external data file ({@code location}/{@code offset}/{@code length}). Not thread-safe.
 */
public final class OnnxWeights {

    /** How a weight is laid out relative to torch's [out, in, ...]. */
    public enum Layout { TORCH, TRANSPOSED }

    /** A LoRA target: the module, the initializer holding its weight and its layout. */
    public record Weight(String module, String initializer, Layout layout, long[] dims, int dataType) {
    }

    private final Path dir;
    private final String label;
    private final Map<String, TensorProto> initializers = new HashMap<>();
    private final Map<String, Weight> byModule = new LinkedHashMap<>();
    private final Map<String, Weight> byKohya = new HashMap<>();

    private OnnxWeights(Path modelFile, String label, ModelProto model) {
        this.dir = modelFile.toAbsolutePath().getParent();
        this.label = label;
        for (TensorProto t : model.getGraph().getInitializerList()) {
            initializers.put(t.getName(), t);
        }
        Map<String, String> castFrom = new HashMap<>();
        for (NodeProto n : model.getGraph().getNodeList()) {
            if (n.getOpType().equals("Cast") && n.getInputCount() == 1) {
                castFrom.put(n.getOutput(0), n.getInput(0));
            }
        }
        for (NodeProto n : model.getGraph().getNodeList()) {
            String op = n.getOpType();
            if (!(op.equals("MatMul") || op.equals("Gemm") || op.equals("Conv")) || n.getInputCount() < 2) {
                continue;
            }
            String init = n.getInput(1);
            while (!initializers.containsKey(init) && castFrom.containsKey(init)) {
                init = castFrom.get(init);
            }
            TensorProto t = initializers.get(init);
            if (t == null) {
                continue;
            }
            Layout layout = op.equals("Conv") || (op.equals("Gemm") && transB(n)) ? Layout.TORCH : Layout.TRANSPOSED;
            String fromNode = modulePath(n.getName());
            if (fromNode != null) {
                add(fromNode, t, layout);
            }
            if (init.endsWith(".weight")) {
                add(init.substring(0, init.length() - ".weight".length()), t, layout);
            }
        }
    }

    private void add(String module, TensorProto t, Layout layout) {
        long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        Weight w = new Weight(module, t.getName(), layout, dims, t.getDataType());
        byModule.putIfAbsent(module, w);
        byKohya.putIfAbsent(module.replace('.', '_'), w);
    }

    private static boolean transB(NodeProto n) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals("transB")) {
                return a.getI() != 0;
            }
        }
        return false;
    }

    /** torch.onnx's {@code /a.0/b/c/MatMul} → {@code a.0.b.c}; null for names not of that form. */
    static String modulePath(String nodeName) {
        if (!nodeName.startsWith("/") || nodeName.lastIndexOf('/') <= 0) {
            return null;
        }
        return nodeName.substring(1, nodeName.lastIndexOf('/')).replace('/', '.');
    }

    /** Indexes {@code modelFile}; {@code label} names it in messages. */
    public static OnnxWeights index(Path modelFile, String label) {
        try (FileChannel channel = FileChannel.open(modelFile, StandardOpenOption.READ)) {
            if (channel.size() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(label + " is over 2 GB inline; LoRAs need its weights in an "
                        + "external data file, as exporters write models that large");
            }
            ByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            CodedInputStream in = CodedInputStream.newInstance(map);
            in.enableAliasing(true);
            in.setSizeLimit(Integer.MAX_VALUE);
            return new OnnxWeights(modelFile, label, ModelProto.parseFrom(in));
        } catch (IOException e) {
            throw new IllegalArgumentException(label + ": cannot read it to apply LoRAs: " + e.getMessage(), e);
        }
    }

    /** The weight a module targets: its dotted path, or for kohya keys its underscored path; null if none. */
    public Weight find(LoraFile.Module module) {
        return module.kohya() ? byKohya.get(module.path()) : byModule.get(module.path());
    }

    /** Number of targetable modules (for messages). */
    public int size() {
        return byModule.size();
    }

    /** The weight's values as float32 (fp16 widened). */
    public float[] read(Weight w) {
        TensorProto t = initializers.get(w.initializer());
        long count = 1;
        for (long d : w.dims()) {
            count *= d;
        }
        float[] out = new float[Math.toIntExact(count)];
        boolean half = t.getDataType() == TensorProto.DataType.FLOAT16_VALUE;
        if (!half && t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
            throw new IllegalArgumentException(label + ": weight '" + w.initializer() + "' of module '" + w.module()
                    + "' is not float32 or float16");
        }
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            fill(out, external(t, count * (half ? 2 : 4)), half);
        } else if (!t.getRawData().isEmpty()) {
            fill(out, t.getRawData().asReadOnlyByteBuffer(), half);
        } else if (half) {
            for (int i = 0; i < out.length; i++) {
                out[i] = Fp16Conversions.fp16ToFloat((short) t.getInt32Data(i));
            }
        } else {
            for (int i = 0; i < out.length; i++) {
                out[i] = t.getFloatData(i);
            }
        }
        return out;
    }

    private ByteBuffer external(TensorProto t, long bytes) {
        Map<String, String> info = new HashMap<>();
        for (StringStringEntryProto e : t.getExternalDataList()) {
            info.put(e.getKey(), e.getValue());
        }
        Path file = dir.resolve(info.getOrDefault("location", ""));
        long offset = Long.parseLong(info.getOrDefault("offset", "0"));
        long length = Long.parseLong(info.getOrDefault("length", Long.toString(bytes)));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, offset, length);
        } catch (IOException e) {
            throw new IllegalArgumentException(label + ": cannot read weight '" + t.getName() + "' from " + file
                    + ": " + e.getMessage(), e);
        }
    }

    private static void fill(float[] out, ByteBuffer data, boolean half) {
        ByteBuffer le = data.slice().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < out.length; i++) {
            out[i] = half ? Fp16Conversions.fp16ToFloat(le.getShort(i * 2)) : le.getFloat(i * 4);
        }
    }
}
