package io.sweepfarm.engine.example;

import io.sweepfarm.engine.GeneratedImage;
import io.sweepfarm.engine.ImageRequest;
import io.sweepfarm.engine.StableDiffusion;
import io.sweepfarm.engine.model.DeviceSpec;
import io.sweepfarm.engine.model.SessionFactory;
import io.sweepfarm.engine.scheduler.SamplerType;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Renders one image from a model folder and writes it as a PNG: the engine used as a library, nothing else.
 *
 * <pre>
 * RenderImage &lt;model-dir&gt; &lt;out.png&gt; [--prompt TEXT] [--negative TEXT] [--steps N] [--cfg X]
 *             [--sampler ID] [--seed N] [--size WxH] [--device cpu|cuda:N]
 * </pre>
 */
public final class RenderImage {

    private RenderImage() {
    }

    public static void main(String[] args) throws IOException {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the example; returns the process exit code (0 ok, 2 bad arguments). */
    public static int run(String[] argv, PrintStream out, PrintStream err) throws IOException {
        List<String> args = new ArrayList<>(List.of(argv));
        if (args.size() < 2 || args.get(0).startsWith("--") || args.get(1).startsWith("--")) {
            err.println("usage: RenderImage <model-dir> <out.png> [--prompt TEXT] [--negative TEXT] [--steps N] "
                    + "[--cfg X] [--sampler " + SamplerType.allIds().replace(", ", "|") + "] [--seed N] [--size WxH] "
                    + "[--device cpu|cuda:N]");
            return 2;
        }
        Path modelDir = Path.of(args.get(0));
        Path png = Path.of(args.get(1));
        String prompt = "a lighthouse on a cliff at dusk";
        String negative = "";
        int steps = 20;
        double cfg = 7.5;
        SamplerType sampler = SamplerType.EULER_A;
        long seed = 42;
        int width = 512;
        int height = 512;
        DeviceSpec device = DeviceSpec.CPU;
        try {
            for (int i = 2; i < args.size(); i += 2) {
                String value = args.get(i + 1);
                switch (args.get(i)) {
                    case "--prompt" -> prompt = value;
                    case "--negative" -> negative = value;
                    case "--steps" -> steps = Integer.parseInt(value);
                    case "--cfg" -> cfg = Double.parseDouble(value);
                    case "--sampler" -> sampler = SamplerType.fromId(value).orElseThrow(() ->
                            new IllegalArgumentException("unknown sampler " + value));
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--size" -> {
                        String[] wh = value.split("x");
                        width = Integer.parseInt(wh[0]);
                        height = Integer.parseInt(wh[1]);
                    }
                    case "--device" -> device = DeviceSpec.parse(value);
                    default -> throw new IllegalArgumentException("unknown option " + args.get(i));
                }
            }
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            err.println("bad arguments: " + e.getMessage());
            return 2;
        }
        long t0 = System.nanoTime();
        try (StableDiffusion sd = StableDiffusion.open(modelDir, new SessionFactory(device, 0))) {
            long loaded = System.nanoTime();
            GeneratedImage image = sd.generate(List.of(
                    ImageRequest.txt2img(prompt, negative, cfg, steps, sampler, seed, width, height))).get(0);
            Path parent = png.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            ImageIO.write(image.image(), "png", png.toFile());
            image.warnings().forEach(w -> err.println("warning: " + w));
            out.printf("wrote %s (%dx%d, %s, %d steps, seed %d): load %d ms, render %d ms%n", png, width, height,
                    sampler.id(), steps, seed, (loaded - t0) / 1_000_000, (System.nanoTime() - loaded) / 1_000_000);
        }
        return 0;
    }
}
