package io.sweepfarm.engine.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Base of the model wrappers: owns one {@link OrtSession} and its options, checks the session's
 * input/output metadata against what the wrapper needs, and converts between {@code float[]} and
 * float32/float16 tensors. Subclasses serialize their run methods ({@code synchronized}) because they
 * reuse input buffers; ONNX Runtime itself is thread-safe.
 */
abstract class OnnxModel implements AutoCloseable {

    /** Path of the model relative to its model folder, e.g. {@code unet/model.onnx}; used in every message. */
    protected final String label;
    protected final OrtEnvironment env;
    protected final OrtSession session;
    private final SessionFactory.OpenSession open;
    private final Map<String, NodeInfo> inputs;
    private final Map<String, NodeInfo> outputs;
    private boolean closed;

    /** Wraps an opened session, which this wrapper then owns (and closes). */
    protected OnnxModel(SessionFactory.OpenSession open, String label) {
        this.label = label;
        this.env = OrtEnvironment.getEnvironment();
        this.open = open;
        this.session = open.session();
        try {
            this.inputs = session.getInputInfo();
            this.outputs = session.getOutputInfo();
        } catch (OrtException e) {
            closeQuietly();
            throw new ModelLoadException(label + ": cannot read input/output metadata: " + e.getMessage(), e);
        }
    }

    /** A tensor's element type and shape as the model declares it (-1 for symbolic dimensions). */
    record Spec(String name, OnnxJavaType type, long[] shape) {
        int rank() {
            return shape.length;
        }

        boolean isFloat16() {
            return type == OnnxJavaType.FLOAT16;
        }

        /** Declared size of {@code axis}, or -1 when symbolic. */
        long dim(int axis) {
            return shape[axis];
        }
    }

    /** The input named {@code name}, or, when {@code name} is absent and the model has exactly one input, that input. */
    protected Spec input(String name, boolean soleFallback) {
        return spec("input", inputs, name, soleFallback);
    }

    protected Spec output(String name, boolean soleFallback) {
        return spec("output", outputs, name, soleFallback);
    }

    protected Set<String> inputNames() {
        return inputs.keySet();
    }

    protected Set<String> outputNames() {
        return outputs.keySet();
    }

    private Spec spec(String kind, Map<String, NodeInfo> map, String name, boolean soleFallback) {
        NodeInfo node = map.get(name);
        if (node == null && soleFallback && map.size() == 1) {
            node = map.values().iterator().next();
        }
        if (node == null) {
            throw fail(kind + " '" + name + "' is missing (model " + kind + "s: " + map.keySet() + ")");
        }
        if (!(node.getInfo() instanceof TensorInfo info)) {
            throw fail(kind + " '" + node.getName() + "' is not a tensor");
        }
        return new Spec(node.getName(), info.type, info.getShape());
    }

    /** Fails unless the tensor is float32 or float16. */
    protected Spec requireFloat(Spec spec, String kind) {
        if (spec.type() != OnnxJavaType.FLOAT && spec.type() != OnnxJavaType.FLOAT16) {
            throw fail(kind + " '" + spec.name() + "' has type " + spec.type() + ", expected float32 or float16");
        }
        return spec;
    }

    /** Fails unless the tensor has rank {@code expected}; {@code layout} describes the axes, e.g. "[batch, channels, height, width]". */
    protected Spec requireRank(Spec spec, String kind, int expected, String layout) {
        if (spec.rank() != expected) {
            throw fail(kind + " '" + spec.name() + "' has rank " + spec.rank() + ", expected " + expected + " " + layout);
        }
        return spec;
    }

    /** Fails unless the declared size of {@code axis} is {@code expected} or symbolic. */
    protected void requireDim(Spec spec, String kind, int axis, long expected, String what) {
        long d = spec.dim(axis);
        if (d >= 0 && d != expected) {
            throw fail(kind + " '" + spec.name() + "' has " + d + " " + what + " (axis " + axis + "), expected " + expected
                    + " (shape " + Arrays.toString(spec.shape()) + ")");
        }
    }

    protected ModelLoadException fail(String what) {
        return new ModelLoadException(label + ": " + what);
    }


    /** The float contents of an output tensor (float32 or float16), checked against the expected element count. */
    protected float[] floats(OnnxValue value, String outputName, long expectedCount) {
        if (!(value instanceof OnnxTensor tensor)) {
            throw new ModelRunException(label + ": output '" + outputName + "' is not a tensor", null);
        }
        FloatBuffer buffer = tensor.getFloatBuffer();
        if (buffer == null) {
            throw new ModelRunException(label + ": output '" + outputName + "' is not float32/float16 but "
                    + tensor.getInfo().type, null);
        }
        if (buffer.remaining() != expectedCount) {
            throw new ModelRunException(label + ": output '" + outputName + "' has shape "
                    + Arrays.toString(tensor.getInfo().getShape()) + ", expected " + expectedCount + " elements", null);
        }
        float[] out = new float[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    protected ModelRunException runFailed(OrtException e) {
        return new ModelRunException(label + ": inference failed: " + e.getMessage(), e);
    }

    /** Model file relative to the model folder, e.g. {@code unet/model.onnx}. */
    public String label() {
        return label;
    }

    /** Closes the session and its options; later calls do nothing. */
    @Override
    public void close() {
        closeQuietly();
    }

    private synchronized void closeQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            open.close();
        } catch (OrtException e) {
            throw new IllegalStateException(label + ": closing the session failed", e);
        }
    }
}
