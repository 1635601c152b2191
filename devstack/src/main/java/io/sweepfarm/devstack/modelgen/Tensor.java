package io.sweepfarm.devstack.modelgen;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A constant tensor (an initializer) with its data as little-endian raw bytes, the layout of
 * {@code TensorProto.raw_data} and of external data files.
 *
 * @param name ONNX value name
 * @param type element type
 * @param dims shape; empty for a scalar
 * @param raw  little-endian element bytes, {@code product(dims) * type.byteSize()} long
 */
public record Tensor(String name, DataType type, long[] dims, byte[] raw) {

    public Tensor {
        long n = Arrays.stream(dims).reduce(1L, (a, b) -> a * b);
        if (n * type.byteSize() != raw.length) {
            throw new IllegalArgumentException("tensor " + name + ": " + raw.length + " bytes for dims "
                    + Arrays.toString(dims) + " of " + type);
        }
    }

    /** A float tensor stored as {@code type} (FLOAT or FLOAT16). */
    public static Tensor floats(String name, DataType type, long[] dims, float[] values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            switch (type) {
                case FLOAT -> buf.putFloat(v);
                case FLOAT16 -> buf.putShort(Float16.fromFloat(v));
                default -> throw new IllegalArgumentException("not a float type: " + type);
            }
        }
        return new Tensor(name, type, dims, buf.array());
    }

    public static Tensor int64s(String name, long[] dims, long... values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            buf.putLong(v);
        }
        return new Tensor(name, DataType.INT64, dims, buf.array());
    }

    /** Number of elements. */
    public long size() {
        return raw.length / type.byteSize();
    }
}
