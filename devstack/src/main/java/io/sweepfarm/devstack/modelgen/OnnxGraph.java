package io.sweepfarm.devstack.modelgen;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A small builder for an ONNX graph: typed inputs and outputs whose dimensions are numbers or
 * symbolic names, constant initializers and nodes. Value names are unique within the graph;
 * {@link #op} invents names for intermediate values. Not thread-safe.
 */
public final class OnnxGraph {

    /** A graph input or output ({@code ValueInfoProto}); each dim is a Long (fixed) or a String (symbolic). */
    public record ValueInfo(String name, DataType type, List<Object> dims) {
    }

    /** A node ({@code NodeProto}) of the default ONNX domain. */
    public record Node(String opType, String name, List<String> inputs, List<String> outputs, List<Attr> attrs) {
    }

    private final String name;
    private final List<ValueInfo> inputs = new ArrayList<>();
    private final List<ValueInfo> outputs = new ArrayList<>();
    private final List<Tensor> initializers = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private int counter;

    public OnnxGraph(String name) {
        this.name = name;
    }

    /** Declares a graph input; dims are {@code Integer}/{@code Long} for fixed sizes or {@code String} for symbolic ones. */
    public String input(String valueName, DataType type, Object... dims) {
        claim(valueName);
        inputs.add(new ValueInfo(valueName, type, normalize(dims)));
        return valueName;
    }

    /** Declares an existing value as a graph output. */
    public void output(String valueName, DataType type, Object... dims) {
        outputs.add(new ValueInfo(valueName, type, normalize(dims)));
    }

    /** Adds a constant; returns its value name. */
    public String initializer(Tensor tensor) {
        claim(tensor.name());
        initializers.add(tensor);
        return tensor.name();
    }

    /** A 1-D int64 constant. */
    public String int64s(String hint, long... values) {
        return initializer(Tensor.int64s(fresh(hint), new long[] {values.length}, values));
    }

    /** A scalar (rank 0) int64 constant. */
    public String int64Scalar(String hint, long value) {
        return initializer(Tensor.int64s(fresh(hint), new long[0], value));
    }

    /** A scalar (rank 0) float constant. */
    public String floatScalar(String hint, float value) {
        return initializer(Tensor.floats(fresh(hint), DataType.FLOAT, new long[0], new float[] {value}));
    }

    /** Adds a single-output node with an invented output name; returns that name. */
    public String op(String opType, List<Attr> attrs, String... nodeInputs) {
        String out = fresh(opType.toLowerCase());
        node(opType, List.of(nodeInputs), List.of(out), attrs);
        return out;
    }

    public String op(String opType, String... nodeInputs) {
        return op(opType, List.of(), nodeInputs);
    }

    /** Adds a node with explicit output names (used for graph outputs). */
    public void node(String opType, List<String> nodeInputs, List<String> nodeOutputs, List<Attr> attrs) {
        node(opType, opType + "_" + nodes.size(), nodeInputs, nodeOutputs, attrs);
    }

    /** Adds a node with an explicit node name (as torch.onnx names nodes after their module path). */
    public void node(String opType, String nodeName, List<String> nodeInputs, List<String> nodeOutputs,
            List<Attr> attrs) {
        for (String out : nodeOutputs) {
            claim(out);
        }
        nodes.add(new Node(opType, nodeName, List.copyOf(nodeInputs), List.copyOf(nodeOutputs), List.copyOf(attrs)));
    }

    /** A fresh value name starting with {@code hint}. */
    public String fresh(String hint) {
        String candidate;
        do {
            candidate = hint + "_" + counter++;
        } while (names.contains(candidate));
        return candidate;
    }

    public String name() {
        return name;
    }

    public List<ValueInfo> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    public List<ValueInfo> outputs() {
        return Collections.unmodifiableList(outputs);
    }

    public List<Tensor> initializers() {
        return Collections.unmodifiableList(initializers);
    }

    public List<Node> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    private void claim(String valueName) {
        if (!names.add(valueName)) {
            throw new IllegalArgumentException("value name used twice: " + valueName);
        }
    }

    private static List<Object> normalize(Object[] dims) {
        List<Object> result = new ArrayList<>(dims.length);
        for (Object d : dims) {
            if (d instanceof Number n) {
                result.add(n.longValue());
            } else if (d instanceof String s) {
                result.add(s);
            } else {
                throw new IllegalArgumentException("dimension must be a number or a symbolic name: " + d);
            }
        }
        return result;
    }
}
