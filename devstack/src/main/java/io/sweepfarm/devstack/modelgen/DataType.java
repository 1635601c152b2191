package io.sweepfarm.devstack.modelgen;

/** ONNX {@code TensorProto.DataType} values used by the generator (numbers from onnx/onnx.proto). */
public enum DataType {
    FLOAT(1, 4),
    INT32(6, 4),
    INT64(7, 8),
    BOOL(9, 1),
    FLOAT16(10, 2);

    private final int onnxCode;
    private final int byteSize;

    DataType(int onnxCode, int byteSize) {
        this.onnxCode = onnxCode;
        this.byteSize = byteSize;
    }

    /** The value of {@code TensorProto.DataType} for this type. */
    public int onnxCode() {
        return onnxCode;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }
}
