package io.sweepfarm.devstack.modelgen;

/**
 * A node attribute ({@code AttributeProto}). {@code type} is the {@code AttributeProto.AttributeType}
 * number from onnx.proto: FLOAT=1, INT=2, STRING=3, TENSOR=4, FLOATS=6, INTS=7.
 */
public record Attr(String name, int type, Object value) {

    public static Attr i(String name, long value) {
        return new Attr(name, 2, value);
    }

    public static Attr f(String name, float value) {
        return new Attr(name, 1, value);
    }

    public static Attr s(String name, String value) {
        return new Attr(name, 3, value);
    }

    public static Attr ints(String name, long... values) {
        return new Attr(name, 7, values.clone());
    }

    public static Attr floats(String name, float... values) {
        return new Attr(name, 6, values.clone());
    }

    public static Attr t(String name, Tensor value) {
        return new Attr(name, 4, value);
    }
}
