package io.sweepfarm.engine;

import io.sweepfarm.engine.model.Latents;
import io.sweepfarm.engine.model.StableDiffusionModel;
import io.sweepfarm.engine.model.UNetInput;
import io.sweepfarm.engine.scheduler.Sampler;
import io.sweepfarm.engine.scheduler.SchedulerConfig;
import io.sweepfarm.engine.scheduler.Samplers;
import io.sweepfarm.engine.tokenizer.PromptTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stable Diffusion as diffusers runs it, on a batch of compatible requests: tokenizer → text encoder(s) → the
 * sampler's loop over the U-Net with classifier-free guidance (and ControlNets) → VAE decoder. Modes: txt2img,
 * img2img, inpainting (9-channel U-Net or mask blending), depth-to-image (5-channel U-Net), SDXL with its refiner
 * hand-off ({@code denoising_end}/{@code denoising_start}), and A1111's hires fix (a second img2img pass at a larger
 * size).
 *
 * <p>Seeds are per image: each request gets its own generator from its noise source, which draws the image's
 * initial latents, its VAE samples and every ancestral step's noise, exactly as diffusers does with a list of
 * generators; the refiner continues the same generators, and the hires pass starts fresh ones from the same seeds,
 * as A1111 does. So an image depends only on its own parameters and seed, never on its batch or position. Requests
 * whose prompts need a different number of 77-token chunks are denoised in separate U-Net batches for the same reason.
 *
 * <p>Not thread-safe; one pipeline per lane.
 */
public final class DiffusionPipeline {

    private static final System.Logger LOG = System.getLogger(DiffusionPipeline.class.getName());

    private final Stage base;
    private final Stage refiner;
    private final ControlNets controlNets;
    private final Loras loras;

    /** An SD 1.x/2.x pipeline over an already loaded model, its tokenizer and scheduler config. */
    public DiffusionPipeline(StableDiffusionModel model, PromptTokenizer tokenizer, SchedulerConfig schedulerConfig) {
        this(Stage.of(model, tokenizer, null, schedulerConfig), null, ControlNets.none(), Loras.none());
    }

    DiffusionPipeline(Stage base, Stage refiner, ControlNets controlNets, Loras loras) {
        this.base = base;
        this.refiner = refiner;
        this.controlNets = controlNets;
        this.loras = loras;
    }

    /**
     * Generates one image per request, in order. All requests must share one {@link ImageRequest#batchKey()}
     * (steps, sampler, size, mode and model variant); {@link StableDiffusion#generate} groups mixed requests.
     */
    public List<GeneratedImage> generate(List<ImageRequest> requests) {
        checkCompatible(requests);
        List<Prepared> prepared = new ArrayList<>(requests.size());
        Map<Integer, List<Prepared>> byChunks = new LinkedHashMap<>();
        for (ImageRequest r : requests) {
            List<TextConditioner.Tokens> pair = base.text().tokenize(List.of(r.prompt(), r.negativePrompt()),
                    r.promptMode());
            Prepared p = new Prepared(r, pair);
            prepared.add(p);
            byChunks.computeIfAbsent(pair.get(0).chunks(), k -> new ArrayList<>()).add(p);
        }
        for (List<Prepared> group : byChunks.values()) {
            new Render(group).run();
        }
        return prepared.stream().map(p -> p.result).toList();
    }

    private void checkCompatible(List<ImageRequest> requests) {
        if (requests.isEmpty()) {
            throw new IllegalArgumentException("no requests");
        }
        ImageRequest.BatchKey key = requests.get(0).batchKey();
        for (ImageRequest r : requests) {
            if (!r.batchKey().equals(key)) {
                throw new IllegalArgumentException("requests of one batch must share steps, sampler, size, mode, "
                        + "LoRAs, ControlNets, hires fix and refiner");
            }
        }
        ImageRequest first = requests.get(0);
        if (first.refiner() != null) {
            if (refiner == null) {
                throw new IllegalArgumentException("the refiner hand-off needs a refiner model, and none is "
                        + "configured for this model");
            }
            if (first.hires() != null) {
                throw new IllegalArgumentException("hires fix and the refiner hand-off cannot be combined");
            }
            if (first.mask() != null) {
                throw new IllegalArgumentException("inpainting and the refiner hand-off cannot be combined");
            }
        }
        if (first.hires() != null && (first.initImage() != null || first.mask() != null)) {
            throw new IllegalArgumentException("hires fix is a txt2img mode: requests with an init image or mask "
                    + "cannot use it");
        }
    }

    /** A request with its base-stage tokens (prompt, negative prompt) and, once generated, its image. */
    private static final class Prepared {
        final ImageRequest request;
        final List<TextConditioner.Tokens> tokens;
        GeneratedImage result;

        Prepared(ImageRequest request, List<TextConditioner.Tokens> tokens) {
            this.request = request;
            this.tokens = tokens;
        }

        List<String> warnings() {
            List<String> w = new ArrayList<>(tokens.get(0).warnings());
            tokens.get(1).warnings().forEach(s -> w.add("negative prompt: " + s));
            return w;
        }
    }

    /** The render of one U-Net batch: images whose prompts have the same chunk count. */
    private final class Render {
        private final List<Prepared> items;
        private final List<ImageRequest> requests;
        private final ImageRequest first;
        private final int n;
        private final Stage stage;

        Render(List<Prepared> items) {
            this.items = items;
            this.requests = items.stream().map(p -> p.request).toList();
            this.first = requests.get(0);
            this.n = items.size();
            this.stage = loras.apply(base, first.loras());
        }

        void run() {
            long t0 = System.nanoTime();
            int width = first.width();
            int height = first.height();
            ImageNoise noise = new ImageNoise(requests, 4 * (height / 8) * (width / 8));
            Rows rows = Rows.encode(stage, requests, tokens(), width, height);
            Sampler sampler = Samplers.create(first.sampler(), stage.scheduler(), first.steps(), n);
            Conditioning image = Conditioning.prepare(stage.model(), requests, noise, width, height, null);
            float[] latents = initialLatents(sampler, image, noise);
            int calls = sampler.timesteps().length;
            Stage last = stage;
            if (first.refiner() == null) {
                denoise(stage, sampler, sampler.beginIndex(), calls, latents, rows, image, noise, width, height);
            } else {
                int cut = baseCutoff(sampler, first.refiner().switchAt());
                denoise(stage, sampler, sampler.beginIndex(), cut, latents, rows, image, noise, width, height);
                refine(latents, noise, width, height);
                last = refiner;
            }
            if (first.hires() != null) {
                HiresFix hires = first.hires();
                int w2 = hires.upscaled(width);
                int h2 = hires.upscaled(height);
                latents = hiresPass(upscale(latents, hires.upscaler(), width, height, w2, h2), w2, h2);
                width = w2;
                height = h2;
            }
            decode(last, latents, width, height);
            int w = width;
            int h = height;
            LOG.log(System.Logger.Level.DEBUG, () -> String.format("rendered %d image(s) at %dx%d in %d ms", n, w, h,
                    (System.nanoTime() - t0) / 1_000_000));
        }

        private List<List<TextConditioner.Tokens>> tokens() {
            return items.stream().map(p -> p.tokens).toList();
        }

        private float[] initialLatents(Sampler sampler, Conditioning image, ImageNoise noise) {
            if (image.initLatents() != null) {
                startAtStrength(sampler, first.strength(), first.steps());
                float[] initial = noise.draw();
                image.rememberNoise(initial);
                return sampler.addNoise(image.initLatents(), initial);
            }
            float[] latents = noise.draw();
            image.rememberNoise(latents.clone());
            float sigma = sampler.initNoiseSigma();
            for (int i = 0; i < latents.length; i++) {
                latents[i] *= sigma;
            }
            return latents;
        }

        /** diffusers' img2img {@code get_timesteps}: skip the first {@code steps - int(steps · strength)} steps. */
        private void startAtStrength(Sampler sampler, double strength, int steps) {
            int initTimestep = Math.min((int) (steps * strength), steps);
            int tStart = Math.max(steps - initTimestep, 0);
            if (tStart * sampler.order() >= sampler.timesteps().length) {
                throw new IllegalArgumentException("strength " + strength + " with " + steps
                        + " steps leaves no denoising step; raise the strength or the steps");
            }
            sampler.setBeginIndex(tStart * sampler.order());
        }

        private int baseCutoff(Sampler sampler, double switchAt) {
            int end = Handoff.baseEnd(sampler.timesteps(), switchAt, numTrain(stage));
            if (end <= sampler.beginIndex()) {
                throw new IllegalArgumentException("refiner switch " + switchAt + " leaves the base model no step");
            }
            return end;
        }

        private int numTrain(Stage stage) {
            Integer n = stage.scheduler().numTrainTimesteps();
            return n == null ? 1000 : n;
        }

        /**
         * diffusers' {@code denoising_start} on the refiner ({@link Handoff}): continue from the base's latents (no
         * noise added); the same image generators go on drawing.
         */
        private void refine(float[] latents, ImageNoise noise, int width, int height) {
            Sampler sampler = Samplers.create(first.sampler(), refiner.scheduler(), first.steps(), n);
            float[] ts = sampler.timesteps();
            int start = Handoff.refinerStart(ts, sampler.order(), first.refiner().switchAt(), numTrain(refiner));
            if (start >= ts.length) {
                throw new IllegalArgumentException("refiner switch " + first.refiner().switchAt()
                        + " leaves the refiner no step");
            }
            sampler.setBeginIndex(start);
            List<List<TextConditioner.Tokens>> tokens = requests.stream()
                    .map(r -> refiner.text().tokenize(List.of(r.prompt(), r.negativePrompt()), r.promptMode()))
                    .toList();
            int chunks = tokens.get(0).get(0).chunks();
            if (tokens.stream().anyMatch(t -> t.get(0).chunks() != chunks)) {
                throw new IllegalArgumentException("the refiner tokenizes these prompts to different lengths");
            }
            Rows rows = Rows.encode(refiner, requests, tokens, width, height);
            Conditioning image = Conditioning.prepare(refiner.model(), requests, noise, width, height, latents);
            denoise(refiner, sampler, start, ts.length, latents, rows, image, noise, width, height);
        }

        /** The upscaled first pass as latents at the second pass's size. */
        private float[] upscale(float[] latents, HiresFix.Upscaler upscaler, int w1, int h1, int w2, int h2) {
            int planes = n * 4;
            return switch (upscaler) {
                case LATENT -> Resample.bilinear(latents, planes, h1 / 8, w1 / 8, h2 / 8, w2 / 8);
                case LATENT_NEAREST -> Resample.nearest(latents, planes, h1 / 8, w1 / 8, h2 / 8, w2 / 8);
                case LANCZOS -> {
                    float[] pixels = decodePixels(stage, latents, w1, h1);
                    float[] big = Resample.lanczos(pixels, n * 3, h1, w1, h2, w2);
                    for (int i = 0; i < big.length; i++) {
                        big[i] = Math.max(-1f, Math.min(1f, big[i]));
                    }
                    yield Conditioning.encodeImages(stage.model(), big, n, w2, h2,
                            new ImageNoise(requests, 4 * (h2 / 8) * (w2 / 8)));
                }
            };
        }

        /**
         * A1111's second pass: img2img from the upscaled latents at the hires denoising strength, with fresh
         * generators seeded as the first pass's.
         */
        private float[] hiresPass(float[] start, int width, int height) {
            HiresFix hires = first.hires();
            int steps = hires.steps() > 0 ? hires.steps() : first.steps();
            ImageNoise noise = new ImageNoise(requests, 4 * (height / 8) * (width / 8));
            Rows rows = Rows.encode(stage, requests, tokens(), width, height);
            Sampler sampler = Samplers.create(first.sampler(), stage.scheduler(), steps, n);
            startAtStrength(sampler, hires.strength(), steps);
            Conditioning image = Conditioning.prepare(stage.model(), requests, noise, width, height, start);
            float[] latents = sampler.addNoise(start, noise.draw());
            denoise(stage, sampler, sampler.beginIndex(), sampler.timesteps().length, latents, rows, image, noise,
                    width, height);
            return latents;
        }

        /** Runs calls [from, to) of {@code sampler} over {@code latents} (in place). */
        private void denoise(Stage stage, Sampler sampler, int from, int to, float[] latents, Rows rows,
                Conditioning image, ImageNoise noise, int width, int height) {
            StableDiffusionModel model = stage.model();
            if (!Rows.fits(model, rows)) {
                throw new IllegalStateException("text conditioning of another model family");
            }
            int h = height / 8;
            int w = width / 8;
            int plane = h * w;
            int latentSize = 4 * plane;
            int unetBatch = rows.count();
            int inChannels = model.unetInChannels();
            ControlGuidance control = ControlGuidance.prepare(controlNets, requests, rows, width, height,
                    stage.unet().residualInputs());
            float[] input = new float[unetBatch * inChannels * plane];
            float[] latentRows = inChannels == 4 ? input : new float[unetBatch * latentSize];
            float[] tPerItem = new float[unetBatch];
            float[] guided = new float[n * latentSize];
            float[] timesteps = sampler.timesteps();
            int calls = timesteps.length;
            for (int i = from; i < to; i++) {
                float[] scaled = sampler.scaleModelInput(latents, i);
                int row = 0;
                for (int k : rows.guided()) {
                    image.fillRow(input, row++, k, scaled, inChannels);
                }
                for (int k = 0; k < n; k++) {
                    image.fillRow(input, row++, k, scaled, inChannels);
                }
                Arrays.fill(tPerItem, timesteps[i]);
                UNetInput in = new UNetInput(new Latents(input, unetBatch, inChannels, h, w), tPerItem,
                        rows.context()).withAdded(rows.pooled(), rows.timeIds());
                if (control != null) {
                    if (latentRows != input) {
                        fillLatentRows(latentRows, scaled, rows, latentSize);
                    }
                    UNetInput in4 = new UNetInput(new Latents(latentRows, unetBatch, 4, h, w), tPerItem,
                            rows.context()).withAdded(rows.pooled(), rows.timeIds());
                    in = in.withResiduals(control.residuals(i, from, calls, in4));
                }
                float[] prediction = stage.unet().predict(in);
                guide(prediction, guided, rows, latentSize);
                sampler.step(guided, i, latents, noise);
                image.blend(latents, sampler, i, calls);
            }
        }

        private void fillLatentRows(float[] out, float[] scaled, Rows rows, int latentSize) {
            int row = 0;
            for (int k : rows.guided()) {
                System.arraycopy(scaled, k * latentSize, out, row++ * latentSize, latentSize);
            }
            for (int k = 0; k < n; k++) {
                System.arraycopy(scaled, k * latentSize, out, row++ * latentSize, latentSize);
            }
        }

        /** Classifier-free guidance per image: uncond + scale · (cond − uncond), in float32 as torch computes it. */
        private void guide(float[] prediction, float[] out, Rows rows, int latentSize) {
            int condBase = rows.guided().length * latentSize;
            System.arraycopy(prediction, condBase, out, 0, n * latentSize);
            for (int g = 0; g < rows.guided().length; g++) {
                int k = rows.guided()[g];
                float scale = rows.scales()[k];
                int u = g * latentSize;
                int c = condBase + k * latentSize;
                int o = k * latentSize;
                for (int j = 0; j < latentSize; j++) {
                    float uncond = prediction[u + j];
                    out[o + j] = uncond + scale * (prediction[c + j] - uncond);
                }
            }
        }

        private float[] decodePixels(Stage stage, float[] latents, int width, int height) {
            float scaling = stage.model().vaeScalingFactor();
            float[] scaled = new float[latents.length];
            for (int i = 0; i < latents.length; i++) {
                scaled[i] = latents[i] / scaling;
            }
            return stage.model().vaeDecoder().decode(scaled, n, height / 8, width / 8);
        }

        private void decode(Stage stage, float[] latents, int width, int height) {
            float[] decoded = decodePixels(stage, latents, width, height);
            for (int k = 0; k < n; k++) {
                Prepared p = items.get(k);
                p.result = new GeneratedImage(Pixels.toImage(decoded, k, width, height), p.request, p.warnings());
            }
        }
    }
}
