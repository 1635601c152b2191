package io.sweepfarm.devstack.modelgen;

import io.sweepfarm.onnx.TensorProto;

/** The ONNX element types the generator writes, with their sizes. */
public enum DataType {
    FLOAT(TensorProto.DataType.FLOAT, 4),
    INT32(TensorProto.DataType.INT32, 4),
    INT64(TensorProto.DataType.INT64, 8),
    BOOL(TensorProto.DataType.BOOL, 1),
    FLOAT16(TensorProto.DataType.FLOAT16, 2);

    private final TensorProto.DataType onnx;
    private final int byteSize;

    DataType(TensorProto.DataType onnx, int byteSize) {
        this.onnx = onnx;
        this.byteSize = byteSize;
    }

    /** The {@code TensorProto.DataType} of this type. */
    public TensorProto.DataType onnx() {
        return onnx;
    }

    /** The value of {@code TensorProto.DataType} for this type (as {@code Cast}'s {@code to} attribute wants it). */
    public int onnxCode() {
        return onnx.getNumber();
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }
}
