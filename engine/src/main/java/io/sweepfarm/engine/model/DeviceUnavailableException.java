package io.sweepfarm.engine.model;

/**
 * The configured device cannot run models (e.g. {@code cuda:0} without a GPU, driver, CUDA 12 or
 * cuDNN 9). The message says what the operator must install or configure. Never caught to fall back
 * to the CPU.
 */
public class DeviceUnavailableException extends ModelLoadException {

    public DeviceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
