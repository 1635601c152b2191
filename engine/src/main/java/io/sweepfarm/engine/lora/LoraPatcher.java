package io.sweepfarm.engine.lora;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.sweepfarm.engine.model.TensorBuffer;
import io.sweepfarm.onnx.TensorProto;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies LoRAs to the weights of one ONNX model file: for every module of every LoRA that targets the model,
 * {@code W += scale · (alpha / rank) · up · down} (linear and convolution LoRAs; the update is laid out as the weight
 * is, transposed for MatMul weights), several LoRAs adding up on a shared weight. The result is one tensor per
 * patched initializer, of the initializer's type, for ONNX Runtime to use in place of the file's
 * ({@code SessionOptions.addInitializer}); nothing else of the model is copied. Stateless.
 */
public final class LoraPatcher {

    private LoraPatcher() {
    }

    /** A LoRA at a scale. */
    public record Applied(LoraFile lora, double scale) {
    }

    /**
     * The patched initializers of {@code modelFile} for the modules targeting {@code target}; empty when none does.
     * Fails on the first module whose weight the model lacks (by name), naming the LoRA, its key and the file.
     */
    public static Map<String, OnnxTensor> patch(Path modelFile, String label, LoraFile.Target target,
            List<Applied> loras) {
        if (loras.stream().flatMap(a -> a.lora().modules().stream()).noneMatch(m -> m.target() == target)) {
            return Map.of();
        }
        OnnxWeights weights = OnnxWeights.index(modelFile, label);
        Map<String, float[]> patched = new LinkedHashMap<>();
        Map<String, OnnxWeights.Weight> byInit = new LinkedHashMap<>();
        for (Applied a : loras) {
            for (LoraFile.Module m : a.lora().modules()) {
                if (m.target() != target) {
                    continue;
                }
                OnnxWeights.Weight w = weights.find(m);
                if (w == null) {
                    throw new IllegalArgumentException("LoRA '" + a.lora().name() + "': key '" + m.key() + "' matches "
                            + "no weight of " + label + " (neither an initializer '<module>.weight' nor a "
                            + "MatMul/Gemm/Conv node named after the module, among " + weights.size() + " modules); "
                            + "the export may have lost the module names, or the LoRA is for another model");
                }
                float[] values = patched.computeIfAbsent(w.initializer(), k -> weights.read(w));
                byInit.put(w.initializer(), w);
                add(values, w, m, (float) (a.scale() * m.alpha() / m.rank()), a.lora().name());
            }
        }
        Map<String, OnnxTensor> out = new LinkedHashMap<>();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try {
            for (Map.Entry<String, float[]> e : patched.entrySet()) {
                OnnxWeights.Weight w = byInit.get(e.getKey());
                OnnxJavaType type = w.dataType() == TensorProto.DataType.FLOAT16_VALUE ? OnnxJavaType.FLOAT16
                        : OnnxJavaType.FLOAT;
                float[] v = e.getValue();
                out.put(e.getKey(), new TensorBuffer().tensor(env, v, 0, v.length, type, w.dims()));
            }
            return out;
        } catch (OrtException e) {
            out.values().forEach(OnnxTensor::close);
            throw new IllegalStateException(label + ": cannot create the patched weights: " + e.getMessage(), e);
        }
    }

    /** {@code values += s · up · down} in the weight's layout. */
    private static void add(float[] values, OnnxWeights.Weight w, LoraFile.Module m, float s, String lora) {
        int rank = m.rank();
        int out = m.up().dim(0);
        int inner = m.down().values().length / rank;
        long[] dims = w.dims();
        boolean fits = w.layout() == OnnxWeights.Layout.TORCH
                ? dims.length >= 2 && dims[0] == out && values.length == (long) out * inner
                : dims.length == 2 && dims[0] == inner && dims[1] == out;
        if (!fits || m.up().values().length != out * rank) {
            throw new IllegalArgumentException("LoRA '" + lora + "': key '" + m.key() + "' updates a [" + out + ", "
                    + inner + "] weight, but '" + w.initializer() + "' of module '" + w.module() + "' is "
                    + Arrays.toString(dims));
        }
        float[] up = m.up().values();
        float[] down = m.down().values();
        float[] row = new float[inner];
        for (int o = 0; o < out; o++) {
            Arrays.fill(row, 0f);
            for (int r = 0; r < rank; r++) {
                float u = up[o * rank + r] * s;
                int base = r * inner;
                for (int j = 0; j < inner; j++) {
                    row[j] += u * down[base + j];
                }
            }
            if (w.layout() == OnnxWeights.Layout.TORCH) {
                for (int j = 0; j < inner; j++) {
                    values[o * inner + j] += row[j];
                }
            } else {
                for (int j = 0; j < inner; j++) {
                    values[j * out + o] += row[j];
                }
            }
        }
    }
}
