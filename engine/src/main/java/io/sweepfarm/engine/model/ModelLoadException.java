package io.sweepfarm.engine.model;

/**
 * A model folder or file that cannot be used: missing, unreadable, or with inputs/outputs that do
 * not match the Stable Diffusion interface. The message names the file (relative to the model
 * folder, e.g. {@code unet/model.onnx}) and, where it applies, the tensor.
 */
public class ModelLoadException extends RuntimeException {

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
