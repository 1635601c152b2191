package io.sweepfarm.engine.model;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.platform.Fp16Conversions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * A direct buffer, grown as needed, that float values are packed into (as float32 or, the engine's one place for
 * it, float16) to become a tensor. A model input reuses one per input; a tensor that must outlive the next call (an
 * initializer) gets its own. Not thread-safe.
 */
public final class TensorBuffer {

    private ByteBuffer bytes = ByteBuffer.allocateDirect(0);

    /**
     * Wraps {@code values} (the {@code n} from {@code offset}) as a tensor of {@code type} (FLOAT or FLOAT16) with
     * {@code shape}. The tensor reads this buffer: close it before the buffer is used again.
     */
    public OnnxTensor tensor(OrtEnvironment env, float[] values, int offset, int n, OnnxJavaType type, long[] shape)
            throws OrtException {
        int width = type == OnnxJavaType.FLOAT16 ? 2 : 4;
        if (bytes.capacity() < n * width) {
            bytes = ByteBuffer.allocateDirect(n * width).order(ByteOrder.nativeOrder());
        }
        bytes.clear();
        if (type == OnnxJavaType.FLOAT16) {
            ShortBuffer s = bytes.asShortBuffer();
            for (int i = 0; i < n; i++) {
                s.put(Fp16Conversions.floatToFp16(values[offset + i]));
            }
            s.flip();
            return OnnxTensor.createTensor(env, s, shape, OnnxJavaType.FLOAT16);
        }
        FloatBuffer f = bytes.asFloatBuffer();
        f.put(values, offset, n);
        f.flip();
        return OnnxTensor.createTensor(env, f, shape);
    }
}
