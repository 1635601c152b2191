package io.sweepfarm.devstack.modelgen;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;

import java.util.List;

/** Reads written protobuf back generically (field numbers from onnx/onnx onnx/onnx.proto). */
final class Proto {

    private final UnknownFieldSet fields;

    private Proto(UnknownFieldSet fields) {
        this.fields = fields;
    }

    static Proto parse(byte[] bytes) {
        try {
            return new Proto(UnknownFieldSet.parseFrom(bytes));
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static Proto parse(ByteString bytes) {
        try {
            return new Proto(UnknownFieldSet.parseFrom(bytes));
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    boolean has(int field) {
        return fields.hasField(field);
    }

    long varint(int field) {
        return fields.getField(field).getVarintList().get(0);
    }

    List<Long> varints(int field) {
        return fields.getField(field).getVarintList();
    }

    String string(int field) {
        return fields.getField(field).getLengthDelimitedList().get(0).toStringUtf8();
    }

    List<String> strings(int field) {
        return fields.getField(field).getLengthDelimitedList().stream().map(ByteString::toStringUtf8).toList();
    }

    byte[] bytes(int field) {
        return fields.getField(field).getLengthDelimitedList().get(0).toByteArray();
    }

    Proto message(int field) {
        return parse(fields.getField(field).getLengthDelimitedList().get(0));
    }

    List<Proto> messages(int field) {
        return fields.getField(field).getLengthDelimitedList().stream().map(Proto::parse).toList();
    }
}
