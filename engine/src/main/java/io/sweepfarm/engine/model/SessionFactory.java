package io.sweepfarm.engine.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;

import ai.onnxruntime.OnnxTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Makes ONNX Runtime sessions for one {@link DeviceSpec}. CPU: the CPU provider with its arena and
 * {@code intraOpThreads} threads. CUDA: the CUDA provider on the given device with heuristic cuDNN
 * convolution search, an arena that grows by what is requested (not in powers of two, which wastes
 * GPU memory with big U-Nets) and copies on the default stream; the CPU provider only runs what
 * CUDA cannot. If CUDA cannot be used a {@link DeviceUnavailableException} says what is missing;
 * there is no silent fallback to the CPU.
 *
 * <p>Thread-safe and cheap; each session gets its own {@link OrtSession.SessionOptions}, owned (and
 * closed) by the caller together with the session.
 */
public final class SessionFactory {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final DeviceSpec device;
    private final int intraOpThreads;

    /**
     * @param device         where to run
     * @param intraOpThreads threads per session for CPU kernels; 0 lets ONNX Runtime pick (one per core)
     */
    public SessionFactory(DeviceSpec device, int intraOpThreads) {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intraOpThreads must be >= 0, got " + intraOpThreads);
        }
        this.device = device;
        this.intraOpThreads = intraOpThreads;
    }

    /** CPU with ONNX Runtime's default thread count. */
    public static SessionFactory cpu(int intraOpThreads) {
        return new SessionFactory(DeviceSpec.CPU, intraOpThreads);
    }

    public DeviceSpec device() {
        return device;
    }

    public OrtEnvironment environment() {
        return env;
    }

    /**
     * A session with its options and whatever must outlive the session (initializers handed to it, such as LoRA-patched
     * weights); close all of them (session first).
     */
    public record OpenSession(OrtSession session, OrtSession.SessionOptions options, List<AutoCloseable> owned)
            implements AutoCloseable {

        public OpenSession(OrtSession session, OrtSession.SessionOptions options) {
            this(session, options, List.of());
        }

        @Override
        public void close() throws OrtException {
            try {
                session.close();
            } finally {
                options.close();
                for (AutoCloseable c : owned) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        throw new IllegalStateException("closing a session's initializer failed", e);
                    }
                }
            }
        }
    }

    /**
     * Opens {@code modelFile}; {@code label} (e.g. {@code unet/model.onnx}) names it in errors.
     * External weights are resolved by ONNX Runtime relative to the model file's folder.
     */
    public OpenSession open(Path modelFile, String label) {
        return open(modelFile, label, Map.of());
    }

    /**
     * Opens {@code modelFile} with some initializers replaced by the given tensors (matched by name, as ONNX Runtime's
     * {@code AddInitializer} does); the returned session owns the tensors and closes them after itself.
     */
    public OpenSession open(Path modelFile, String label, Map<String, OnnxTensor> initializers) {
        if (!Files.isRegularFile(modelFile)) {
            initializers.values().forEach(OnnxTensor::close);
            throw new ModelLoadException(label + ": file not found (" + modelFile + ")");
        }
        OrtSession.SessionOptions options = newOptions();
        try {
            for (Map.Entry<String, OnnxTensor> e : initializers.entrySet()) {
                options.addInitializer(e.getKey(), e.getValue());
            }
            return new OpenSession(env.createSession(modelFile.toString(), options), options,
                    List.copyOf(initializers.values()));
        } catch (OrtException e) {
            initializers.values().forEach(OnnxTensor::close);
            options.close();
            if (device.isCuda() && looksLikeCuda(e.getMessage())) {
                throw unavailable(e);
            }
            throw new ModelLoadException(label + ": ONNX Runtime cannot load it: " + e.getMessage(), e);
        }
    }

    /** Fresh session options for this device (the caller closes them). */
    OrtSession.SessionOptions newOptions() {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            if (device.isCuda()) {
                addCuda(options);
            }
            options.addCPU(true);
            return options;
        } catch (OrtException | LinkageError e) {
            options.close();
            if (device.isCuda()) {
                throw unavailable(e);
            }
            throw new ModelLoadException("cannot configure ONNX Runtime for " + device + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            options.close();
            throw e;
        }
    }

    private void addCuda(OrtSession.SessionOptions options) throws OrtException {
        try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(device.deviceId())) {
            cuda.add("cudnn_conv_algo_search", "HEURISTIC");
            cuda.add("arena_extend_strategy", "kSameAsRequested");
            cuda.add("do_copy_in_default_stream", "1");
            cuda.add("cudnn_conv_use_max_workspace", "1");
            options.addCUDA(cuda);
        }
    }

    private DeviceUnavailableException unavailable(Throwable cause) {
        return new DeviceUnavailableException("device " + device + " is not usable: ONNX Runtime could not start its "
                + "CUDA execution provider (" + cause.getMessage() + "). Running on " + device + " needs an NVIDIA "
                + "GPU with its driver, the CUDA 12 and cuDNN 9 libraries on LD_LIBRARY_PATH, and the onnxruntime_gpu "
                + "artifact (not the CPU-only onnxruntime). The worker never falls back to the CPU on its own: "
                + "configure the device as 'cpu' to run on the CPU.", cause);
    }

    private static boolean looksLikeCuda(String message) {
        String m = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
        return m.contains("cuda") || m.contains("cudnn") || m.contains("cublas") || m.contains("shared library");
    }
}
