package io.sweepfarm.devstack.modelgen;

/** Where the writer puts large initializers. */
public enum ExternalData {
    /** Everything inside {@code model.onnx} (raw_data). */
    NONE(null),
    /** A {@code weights.pb} file next to the model, as diffusers' conversion script writes. */
    WEIGHTS_PB("weights.pb"),
    /** A {@code model.onnx_data} file next to the model, as optimum and torch.onnx write. */
    MODEL_ONNX_DATA("model.onnx_data");

    private final String fileName;

    ExternalData(String fileName) {
        this.fileName = fileName;
    }

    /** File name next to the model, or null for {@link #NONE}. */
    public String fileName() {
        return fileName;
    }
}
