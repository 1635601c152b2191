package io.sweepfarm.engine.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.sweepfarm.engine.scheduler.SamplerType;
import io.sweepfarm.devstack.modelgen.Options;
import io.sweepfarm.devstack.modelgen.TinyStableDiffusion;
import io.sweepfarm.engine.DiffusionPipeline;
import io.sweepfarm.engine.ImageRequest;
import io.sweepfarm.engine.model.SessionFactory;
import io.sweepfarm.engine.model.StableDiffusionModel;
import io.sweepfarm.engine.scheduler.SchedulerConfig;
import io.sweepfarm.engine.tokenizer.ClipTokenizer;
import io.sweepfarm.engine.tokenizer.PromptTokenizer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How much the engine adds to each denoising step on top of the U-Net itself.
 *
 * <p>Side by side in one JVM, on the same random-weight "bench" U-Net ({@link Options#bench()}), one thread:
 * <ul>
 *   <li><b>bare</b>: {@code OrtSession.run} on pre-built tensors (batch 2 = unconditional + conditional row), the
 *       floor any Java engine pays;</li>
 *   <li><b>engine</b>: the whole {@link DiffusionPipeline} for one guided image, per step, measured as the
 *       difference between a run of {@code S2} and of {@code S1} steps divided by {@code S2 − S1}, which cancels the
 *       text encoder and the VAE (sampler maths, guidance, tensor building and copies remain).</li>
 * </ul>
 * Rounds alternate bare and engine to spread drift; the medians are reported.
 *
 * <p>Run: {@code ./mvnw -q -pl engine -am -Pbench verify -DskipTests} (system properties {@code bench.rounds},
 * {@code bench.sampler}).
 */
public final class StepOverheadBench {

    private static final int S1 = 4;
    private static final int S2 = 12;

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 7);
        SamplerType sampler = SamplerType.fromId(System.getProperty("bench.sampler", "dpmpp_2m")).orElseThrow();
        Path dir = TinyStableDiffusion.generate(Files.createTempDirectory("sweepfarm-bench-"), Options.bench());
        SessionFactory sessions = SessionFactory.cpu(1);
        try (StableDiffusionModel model = StableDiffusionModel.load(dir, sessions);
                SessionFactory.OpenSession bare = sessions.open(dir.resolve("unet/model.onnx"), "unet/model.onnx")) {
            DiffusionPipeline pipeline = new DiffusionPipeline(model, new PromptTokenizer(ClipTokenizer.load(dir)),
                    SchedulerConfig.read(model.schedulerConfig()));
            int size = 256;
            double[] bareMs = new double[rounds];
            double[] engineMs = new double[rounds];
            BareLoop loop = new BareLoop(bare.session(), size / 8, model.hiddenSize());
            loop.run(3);
            generate(pipeline, sampler, size, S1);
            for (int r = 0; r < rounds; r++) {
                bareMs[r] = loop.run(S2 - S1) / (S2 - S1);
                long t1 = generate(pipeline, sampler, size, S1);
                long t2 = generate(pipeline, sampler, size, S2);
                engineMs[r] = (t2 - t1) / 1e6 / (S2 - S1);
            }
            double b = median(bareMs);
            double e = median(engineMs);
            System.out.printf("bench U-Net, %dx%d image (%dx%d latents), batch 2 (CFG), %s, 1 thread, %d rounds%n",
                    size, size, size / 8, size / 8, sampler.id(), rounds);
            System.out.printf("bare OrtSession.run per step   : %8.2f ms (rounds %s)%n", b, fmt(bareMs));
            System.out.printf("engine per denoising step      : %8.2f ms (rounds %s)%n", e, fmt(engineMs));
            System.out.printf("engine / bare                  : %8.4f  (overhead %+.2f%%)%n", e / b, (e / b - 1) * 100);
        }
    }

    private static long generate(DiffusionPipeline p, SamplerType sampler, int size, int steps) {
        ImageRequest r = ImageRequest.txt2img("a lighthouse at dusk", "blurry", 7.5, steps, sampler, 42, size, size);
        long t0 = System.nanoTime();
        p.generate(List.of(r));
        return System.nanoTime() - t0;
    }

    /** U-Net calls on tensors built once: nothing but ONNX Runtime's own work. */
    private static final class BareLoop {
        private final OrtSession session;
        private final Map<String, OnnxTensor> inputs = new HashMap<>();

        BareLoop(OrtSession session, int latent, int hidden) throws Exception {
            this.session = session;
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            float[] sample = new float[2 * 4 * latent * latent];
            Arrays.fill(sample, 0.1f);
            inputs.put("sample", OnnxTensor.createTensor(env, FloatBuffer.wrap(sample), new long[] {2, 4, latent,
                    latent}));
            inputs.put("timestep", OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {500f, 500f}),
                    new long[] {2}));
            float[] context = new float[2 * 77 * hidden];
            Arrays.fill(context, 0.01f);
            inputs.put("encoder_hidden_states", OnnxTensor.createTensor(env, FloatBuffer.wrap(context),
                    new long[] {2, 77, hidden}));
        }

        /** Milliseconds for {@code calls} runs. */
        double run(int calls) throws Exception {
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                try (OrtSession.Result ignored = session.run(inputs)) {
                    // the output is produced and released, as in the engine
                }
            }
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String fmt(double[] xs) {
        StringBuilder sb = new StringBuilder();
        for (double x : xs) {
            sb.append(sb.length() == 0 ? "" : " ").append(String.format("%.1f", x));
        }
        return sb.toString();
    }
}
