package io.sweepfarm.engine;

import io.sweepfarm.engine.model.StableDiffusionModel;
import io.sweepfarm.engine.model.Latents;
import io.sweepfarm.engine.model.TextStates;
import io.sweepfarm.engine.model.UNetInput;
import io.sweepfarm.engine.scheduler.Sampler;
import io.sweepfarm.engine.scheduler.SchedulerConfig;
import io.sweepfarm.engine.scheduler.Samplers;
import io.sweepfarm.engine.tokenizer.PromptTokenizer;
import io.sweepfarm.engine.tokenizer.TokenizedPrompt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stable Diffusion 1.x/2.x as diffusers runs it (txt2img, img2img and inpainting), on a batch of compatible
 * requests: tokenizer → text encoder → the sampler's loop over the U-Net with classifier-free guidance → VAE
 * decoder.
 *
 * <p>Seeds are per image: each request gets its own generator from its noise source, which draws the image's
 * initial latents and every ancestral step's noise, exactly as diffusers does with a list of generators. So an
 * image depends only on its own parameters and seed, never on its batch or position. Requests whose prompts need a
 * different number of 77-token chunks are denoised in separate U-Net batches for the same reason.
 *
 * <p>Guidance follows diffusers: one U-Net call holds the unconditional rows of the guided images followed by the
 * conditional rows of all images; {@code uncond + scale·(cond − uncond)} per image, each with its own scale; images
 * with a scale ≤ 1 use the conditional prediction alone and cost one row.
 *
 * <p>Not thread-safe; one pipeline per lane.
 */
public final class DiffusionPipeline {

    private static final System.Logger LOG = System.getLogger(DiffusionPipeline.class.getName());

    private final StableDiffusionModel model;
    private final PromptTokenizer tokenizer;
    private final PromptEncoder encoder;
    private final SchedulerConfig schedulerConfig;

    public DiffusionPipeline(StableDiffusionModel model, PromptTokenizer tokenizer, SchedulerConfig schedulerConfig) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.encoder = new PromptEncoder(model.textEncoder());
        this.schedulerConfig = schedulerConfig;
    }

    /**
     * Generates one image per request. All requests must share steps, sampler, size and mode (txt2img, img2img with
     * one strength, or inpainting).
     */
    public List<GeneratedImage> generate(List<ImageRequest> requests) {
        checkCompatible(requests);
        List<Prepared> prepared = new ArrayList<>(requests.size());
        Map<Integer, List<Prepared>> byChunks = new LinkedHashMap<>();
        for (ImageRequest r : requests) {
            List<TokenizedPrompt> pair = tokenizer.tokenizeAll(List.of(r.prompt(), r.negativePrompt()),
                    r.promptMode());
            Prepared p = new Prepared(r, pair.get(0), pair.get(1));
            prepared.add(p);
            byChunks.computeIfAbsent(p.cond.chunks(), k -> new ArrayList<>()).add(p);
        }
        for (List<Prepared> group : byChunks.values()) {
            new Denoising(group).run();
        }
        List<GeneratedImage> out = new ArrayList<>(requests.size());
        for (Prepared p : prepared) {
            out.add(p.result);
        }
        return out;
    }

    private static void checkCompatible(List<ImageRequest> requests) {
        if (requests.isEmpty()) {
            throw new IllegalArgumentException("no requests");
        }
        ImageRequest a = requests.get(0);
        for (ImageRequest b : requests) {
            if (b.steps() != a.steps() || b.sampler() != a.sampler() || b.width() != a.width()
                    || b.height() != a.height() || (b.initImage() == null) != (a.initImage() == null)
                    || (b.mask() == null) != (a.mask() == null)
                    || (b.strength() == null ? a.strength() != null : !b.strength().equals(a.strength()))) {
                throw new IllegalArgumentException("requests of one batch must share steps, sampler, size and mode");
            }
        }
    }

    /** A request with its tokenized prompts and, once generated, its image. */
    private static final class Prepared {
        final ImageRequest request;
        final TokenizedPrompt cond;
        final TokenizedPrompt uncond;
        GeneratedImage result;

        Prepared(ImageRequest request, TokenizedPrompt cond, TokenizedPrompt uncond) {
            this.request = request;
            this.cond = cond;
            this.uncond = uncond;
        }

        List<String> warnings() {
            List<String> w = new ArrayList<>(cond.warnings());
            uncond.warnings().forEach(s -> w.add("negative prompt: " + s));
            return w;
        }
    }

    /** One U-Net batch: images whose prompts have the same chunk count. */
    private final class Denoising {
        private final List<Prepared> items;
        private final ImageRequest first;
        private final int n;
        private final int h;
        private final int w;
        private final int plane;
        private final int latentSize;
        private final ImageNoise noise;
        private final List<Integer> guided = new ArrayList<>();

        Denoising(List<Prepared> items) {
            this.items = items;
            this.first = items.get(0).request;
            this.n = items.size();
            this.h = first.height() / 8;
            this.w = first.width() / 8;
            this.plane = h * w;
            this.latentSize = 4 * plane;
            this.noise = new ImageNoise(items.stream().map(p -> p.request).toList(), latentSize);
            for (int k = 0; k < n; k++) {
                if (items.get(k).request.guided()) {
                    guided.add(k);
                }
            }
        }

        void run() {
            long t0 = System.nanoTime();
            float[] context = encodePrompts();
            int seq = items.get(0).cond.chunks() * items.get(0).cond.contextLength();
            Sampler sampler = Samplers.create(first.sampler(), schedulerConfig, first.steps(), n);
            Conditioning image = Conditioning.prepare(model, items.stream().map(p -> p.request).toList(), noise);
            float[] latents = initialLatents(sampler, image);
            float[] timesteps = sampler.timesteps();
            int unetBatch = guided.size() + n;
            int inChannels = model.unetInChannels();
            float[] input = new float[unetBatch * inChannels * plane];
            float[] tPerItem = new float[unetBatch];
            float[] guidedPrediction = new float[n * latentSize];
            TextStates text = TextStates.of(context, unetBatch, seq);
            for (int i = sampler.beginIndex(); i < timesteps.length; i++) {
                float[] scaled = sampler.scaleModelInput(latents, i);
                fillUnetInput(input, scaled, image, inChannels);
                java.util.Arrays.fill(tPerItem, timesteps[i]);
                float[] prediction = model.unet().predict(
                        new UNetInput(new Latents(input, unetBatch, inChannels, h, w), tPerItem, text));
                guide(prediction, guidedPrediction);
                sampler.step(guidedPrediction, i, latents, noise);
                image.blend(latents, sampler, i, timesteps.length);
            }
            decode(latents);
            LOG.log(System.Logger.Level.DEBUG, () -> String.format("denoised %d image(s), %d model calls, in %d ms", n,
                    timesteps.length - sampler.beginIndex(), (System.nanoTime() - t0) / 1_000_000));
        }

        /** Rows: unconditional prompts of the guided images, then the conditional prompts of all images. */
        private float[] encodePrompts() {
            List<TokenizedPrompt> rows = new ArrayList<>(guided.size() + n);
            for (int k : guided) {
                rows.add(items.get(k).uncond);
            }
            for (Prepared p : items) {
                rows.add(p.cond);
            }
            return encoder.encode(rows);
        }

        private float[] initialLatents(Sampler sampler, Conditioning image) {
            if (image.initLatents() != null && first.strength() != null) {
                int steps = first.steps();
                int initTimestep = Math.min((int) (steps * first.strength()), steps);
                int tStart = Math.max(steps - initTimestep, 0);
                if (tStart * sampler.order() >= sampler.timesteps().length) {
                    throw new IllegalArgumentException("strength " + first.strength() + " with " + steps
                            + " steps leaves no denoising step; raise the strength or the steps");
                }
                sampler.setBeginIndex(tStart * sampler.order());
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

        private void fillUnetInput(float[] input, float[] scaled, Conditioning image, int inChannels) {
            int row = 0;
            for (int k : guided) {
                image.fillRow(input, row++, k, scaled, inChannels);
            }
            for (int k = 0; k < n; k++) {
                image.fillRow(input, row++, k, scaled, inChannels);
            }
        }

        /** Classifier-free guidance per image: uncond + scale · (cond − uncond), in float32 as torch computes it. */
        private void guide(float[] prediction, float[] out) {
            int condBase = guided.size() * latentSize;
            System.arraycopy(prediction, condBase, out, 0, n * latentSize);
            for (int g = 0; g < guided.size(); g++) {
                int k = guided.get(g);
                float scale = (float) items.get(k).request.cfgScale();
                int u = g * latentSize;
                int c = condBase + k * latentSize;
                int o = k * latentSize;
                for (int j = 0; j < latentSize; j++) {
                    float uncond = prediction[u + j];
                    out[o + j] = uncond + scale * (prediction[c + j] - uncond);
                }
            }
        }

        private void decode(float[] latents) {
            float scaling = model.vaeScalingFactor();
            float[] scaled = new float[latents.length];
            for (int i = 0; i < latents.length; i++) {
                scaled[i] = latents[i] / scaling;
            }
            float[] decoded = model.vaeDecoder().decode(scaled, n, h, w);
            for (int k = 0; k < n; k++) {
                Prepared p = items.get(k);
                p.result = new GeneratedImage(Pixels.toImage(decoded, k, first.width(), first.height()), p.request,
                        p.warnings());
            }
        }
    }
}
