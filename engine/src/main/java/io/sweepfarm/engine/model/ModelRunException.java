package io.sweepfarm.engine.model;

/** ONNX Runtime failed while running a loaded model; the message names the model file. */
public class ModelRunException extends RuntimeException {

    public ModelRunException(String message, Throwable cause) {
        super(message, cause);
    }
}
