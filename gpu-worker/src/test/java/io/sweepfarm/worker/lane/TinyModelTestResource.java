package io.sweepfarm.worker.lane;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sweepfarm.devstack.modelgen.Options;
import io.sweepfarm.devstack.modelgen.TinyLora;
import io.sweepfarm.devstack.modelgen.TinyStableDiffusion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Generates a tiny random-weight model and points the worker at it, on the CPU. */
public class TinyModelTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String MODEL = "worker-test";

    /** The model name the worker serves. */
    protected String model() {
        return MODEL;
    }

    /** The generated model's variant. */
    protected Options options() {
        return Options.defaults().toBuilder().vaeEncoder(Options.VaeEncoder.LATENT_PARAMETERS).build();
    }

    @Override
    public Map<String, String> start() {
        try {
            Path dir = TinyStableDiffusion.generate(Files.createTempDirectory("sweepfarm-model-"), options());
            return Map.of("sweepfarm.worker.model", model(), "sweepfarm.worker.model-path", dir.toString(),
                    "sweepfarm.worker.device", "cpu", "sweepfarm.worker.max-batch", "4",
                    "sweepfarm.worker.retry-backoff", "PT0.2S");
        } catch (Exception e) {
            throw new IllegalStateException("cannot generate the tiny model", e);
        }
    }

    @Override
    public void stop() {
    }

    /** Two lanes of one model on the CPU, configured through {@code sweepfarm.worker.lanes}. */
    public static class TwoLanes extends TinyModelTestResource {
        public static final String MODEL = "worker-lanes";

        @Override
        public Map<String, String> start() {
            Map<String, String> single = new java.util.HashMap<>(super.start());
            String path = single.remove("sweepfarm.worker.model-path");
            single.remove("sweepfarm.worker.model");
            single.remove("sweepfarm.worker.device");
            single.put("sweepfarm.worker.lanes", MODEL + "@cpu," + MODEL + "@cpu");
            single.put("sweepfarm.worker.model-paths." + MODEL, path);
            single.put("sweepfarm.worker.id", "two-lanes");
            single.put("sweepfarm.worker.max-batch", "1");
            return single;
        }
    }

    /** The 9-channel inpainting variant. */
    public static class Inpainting extends TinyModelTestResource {
        public static final String MODEL = "worker-inpaint";

        @Override
        protected String model() {
            return MODEL;
        }

        @Override
        protected Options options() {
            return super.options().toBuilder().inpainting(true).build();
        }
    }

    /**
     * One worker with a lane per mode, each configured through {@code sweepfarm.worker.lanes} and the per-model
     * folder settings: {@link #SD} (the default model with a LoRA folder holding
     * {@link #LORA} in kohya keys, for LoRAs and the hires fix), {@link #CONTROLNET} (a U-Net with residual
     * inputs and the ControlNet {@link #EDGES} in its ControlNet folder), {@link #DEPTH} (the 5-channel depth U-Net)
     * and {@link #SDXL} (SDXL base with a refiner pinned beside it, named {@link #REFINER} by its folder).
     */
    public static class Modes extends TinyModelTestResource {
        public static final String SD = "worker-modes-sd";
        public static final String CONTROLNET = "worker-modes-cn";
        public static final String DEPTH = "worker-modes-depth";
        public static final String SDXL = "worker-modes-xl";
        public static final String EDGES = "tiny-edges";
        public static final String REFINER = "tiny-refiner";
        public static final String LORA = "tiny-style";

        @Override
        public Map<String, String> start() {
            try {
                Path root = Files.createTempDirectory("sweepfarm-modes-");
                Options cn = options().toBuilder().controlNet(true).build();
                Map<String, String> config = new java.util.HashMap<>(Map.of("sweepfarm.worker.id", "mode-lanes",
                        "sweepfarm.worker.max-batch", "4", "sweepfarm.worker.retry-backoff", "PT0.2S",
                        "sweepfarm.worker.lanes", String.join(",", SD + "@cpu", CONTROLNET + "@cpu", DEPTH + "@cpu",
                                SDXL + "@cpu")));
                model(config, SD, root, options());
                Path loras = Files.createDirectories(root.resolve("loras"));
                TinyLora.write(loras.resolve(LORA + ".safetensors"), options(), TinyLora.Style.KOHYA, 4, 1, 4f);
                config.put("sweepfarm.worker.lora-paths." + SD, loras.toString());
                model(config, CONTROLNET, root, cn);
                TinyStableDiffusion.generateControlNet(root.resolve("controlnets").resolve(EDGES), cn);
                config.put("sweepfarm.worker.controlnet-paths." + CONTROLNET, root.resolve("controlnets").toString());
                model(config, DEPTH, root, options().toBuilder().depth(true).build());
                model(config, SDXL, root, options().toBuilder().family(Options.Family.SDXL).build());
                Path refiner = TinyStableDiffusion.generate(root.resolve(REFINER), options().toBuilder()
                        .family(Options.Family.SDXL_REFINER).seed(7).build());
                config.put("sweepfarm.worker.refiner-paths." + SDXL, refiner.toString());
                return config;
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot generate the tiny models and their LoRA", e);
            }
        }

        private static void model(Map<String, String> config, String name, Path root, Options o)
                throws java.io.IOException {
            config.put("sweepfarm.worker.model-paths." + name, TinyStableDiffusion.generate(root.resolve(name), o)
                    .toString());
        }
    }
}
