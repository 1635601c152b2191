package io.sweepfarm.devstack.modelgen;

import io.sweepfarm.onnx.AttributeProto.AttributeType;

/** A node attribute ({@code AttributeProto}) of one of the types the generator uses. */
public record Attr(String name, AttributeType type, Object value) {

    public static Attr i(String name, long value) {
        return new Attr(name, AttributeType.INT, value);
    }

    public static Attr f(String name, float value) {
        return new Attr(name, AttributeType.FLOAT, value);
    }

    public static Attr s(String name, String value) {
        return new Attr(name, AttributeType.STRING, value);
    }

    public static Attr ints(String name, long... values) {
        return new Attr(name, AttributeType.INTS, values.clone());
    }

    public static Attr floats(String name, float... values) {
        return new Attr(name, AttributeType.FLOATS, values.clone());
    }

    public static Attr t(String name, Tensor value) {
        return new Attr(name, AttributeType.TENSOR, value);
    }
}
