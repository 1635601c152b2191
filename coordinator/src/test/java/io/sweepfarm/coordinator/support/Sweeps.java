package io.sweepfarm.coordinator.support;

import io.sweepfarm.common.api.ControlNetAxis;
import io.sweepfarm.common.api.CreateSweepRequest;
import io.sweepfarm.common.api.HiresAxes;
import io.sweepfarm.common.api.ImageSize;
import io.sweepfarm.common.api.LoraAxis;
import io.sweepfarm.common.api.PromptOverflow;
import io.sweepfarm.common.api.Seeds;
import java.util.List;
import java.util.UUID;

/** Test-data builder: {@code aSweep().withCfgScales(7.5).build()}; each sweep gets its own model (own topic). */
public final class Sweeps {

    private String name = "test sweep";
    private String model = "test-" + UUID.randomUUID().toString().substring(0, 8);
    private List<String> prompts = List.of("a red fox");
    private List<String> negativePrompts = null;
    private List<String> promptSr = null;
    private List<Double> cfgScales = List.of(7.5);
    private List<Integer> steps = List.of(20);
    private List<String> samplers = List.of("euler_a");
    private Seeds seeds = new Seeds.Listed(List.of(1L));
    private Integer imagesPerCombination = null;
    private Integer width = 512;
    private Integer height = 512;
    private List<ImageSize> sizes = null;
    private Integer priority = null;
    private String noiseSource = null;
    private List<String> initImages = null;
    private List<Double> strengths = null;
    private String mask = null;
    private List<List<String>> zip = null;
    private Boolean dryRun = null;
    private List<LoraAxis> loras = null;
    private List<ControlNetAxis> controlnets = null;
    private HiresAxes hires = null;
    private List<Double> refinerSwitchAt = null;
    private List<String> depthMaps = null;

    private Sweeps() {
    }

    public static Sweeps aSweep() {
        return new Sweeps();
    }

    public Sweeps withModel(String v) { model = v; return this; }
    public Sweeps withPrompts(String... v) { prompts = List.of(v); return this; }
    public Sweeps withNegativePrompts(String... v) { negativePrompts = List.of(v); return this; }
    public Sweeps withPromptSr(String... v) { promptSr = List.of(v); return this; }
    public Sweeps withCfgScales(Double... v) { cfgScales = List.of(v); return this; }
    public Sweeps withSteps(Integer... v) { steps = List.of(v); return this; }
    public Sweeps withSamplers(String... v) { samplers = List.of(v); return this; }
    public Sweeps withSeeds(Long... v) { seeds = new Seeds.Listed(List.of(v)); return this; }
    /** {@code count} consecutive seeds from {@code from}, as a list. */
    public Sweeps withSeedRange(long from, int count) {
        seeds = new Seeds.Listed(java.util.stream.LongStream.range(from, from + count).boxed().toList());
        return this;
    }
    /** {@code count} consecutive seeds from {@code start}, as a range (never materialised). */
    public Sweeps withSeedCount(long start, long count) { seeds = new Seeds.Range(start, count); return this; }
    public Sweeps withImagesPerCombination(int v) { imagesPerCombination = v; return this; }
    public Sweeps withSize(Integer w, Integer h) { width = w; height = h; return this; }
    public Sweeps withSizes(ImageSize... v) { sizes = List.of(v); width = null; height = null; return this; }
    public Sweeps withPriority(int v) { priority = v; return this; }
    public Sweeps withNoiseSource(String v) { noiseSource = v; return this; }
    public Sweeps withInitImages(String... v) { initImages = List.of(v); return this; }
    public Sweeps withStrengths(Double... v) { strengths = List.of(v); return this; }
    public Sweeps withMask(String v) { mask = v; return this; }
    public Sweeps withZip(List<String>... groups) { zip = List.of(groups); return this; }
    public Sweeps dryRun() { dryRun = true; return this; }
    /** Adds a LoRA axis. */
    public Sweeps withLora(String name, Double... scales) {
        loras = new java.util.ArrayList<>(loras == null ? List.of() : loras);
        loras.add(new LoraAxis(name, List.of(scales)));
        return this;
    }
    /** Adds a ControlNet with its axes (null: the default). */
    public Sweeps withControlNet(String model, String image, List<Double> scales, List<Double> starts,
            List<Double> ends) {
        controlnets = new java.util.ArrayList<>(controlnets == null ? List.of() : controlnets);
        controlnets.add(new ControlNetAxis(model, image, scales, starts, ends));
        return this;
    }
    public Sweeps withHires(List<Double> scales, List<Double> strengths, String upscaler, Integer steps) {
        hires = new HiresAxes(scales, strengths, upscaler, steps);
        return this;
    }
    public Sweeps withRefinerSwitchAt(Double... v) { refinerSwitchAt = List.of(v); return this; }
    public Sweeps withDepthMaps(String... v) { depthMaps = List.of(v); return this; }

    public String model() {
        return model;
    }

    public CreateSweepRequest build() {
        return new CreateSweepRequest(name, model, prompts, negativePrompts, promptSr, cfgScales, steps, samplers,
                seeds, imagesPerCombination, width, height, sizes, priority, noiseSource, PromptOverflow.TRUNCATE,
                initImages, strengths, mask, zip, dryRun, null, loras, controlnets, hires, refinerSwitchAt,
                depthMaps);
    }
}
