package io.sweepfarm.coordinator.support;

import io.sweepfarm.common.api.CreateSweepRequest;
import io.sweepfarm.common.api.PromptOverflow;
import java.util.List;
import java.util.UUID;

/** Test-data builder: {@code aSweep().withCfgScales(7.5).build()}; each sweep gets its own model (own topic). */
public final class Sweeps {

    private String name = "test sweep";
    private String model = "test-" + UUID.randomUUID().toString().substring(0, 8);
    private List<String> prompts = List.of("a red fox");
    private List<String> negativePrompts = null;
    private List<Double> cfgScales = List.of(7.5);
    private List<Integer> steps = List.of(20);
    private List<String> samplers = List.of("euler_a");
    private List<Long> seeds = List.of(1L);
    private Integer width = 512;
    private Integer height = 512;
    private Integer priority = null;
    private String noiseSource = null;
    private List<String> initImages = null;
    private List<Double> strengths = null;
    private String mask = null;

    private Sweeps() {
    }

    public static Sweeps aSweep() {
        return new Sweeps();
    }

    public Sweeps withModel(String v) { model = v; return this; }
    public Sweeps withPrompts(String... v) { prompts = List.of(v); return this; }
    public Sweeps withNegativePrompts(String... v) { negativePrompts = List.of(v); return this; }
    public Sweeps withCfgScales(Double... v) { cfgScales = List.of(v); return this; }
    public Sweeps withSteps(Integer... v) { steps = List.of(v); return this; }
    public Sweeps withSamplers(String... v) { samplers = List.of(v); return this; }
    public Sweeps withSeeds(Long... v) { seeds = List.of(v); return this; }
    public Sweeps withSeedRange(long from, int count) {
        seeds = java.util.stream.LongStream.range(from, from + count).boxed().toList();
        return this;
    }
    public Sweeps withSize(Integer w, Integer h) { width = w; height = h; return this; }
    public Sweeps withPriority(int v) { priority = v; return this; }
    public Sweeps withNoiseSource(String v) { noiseSource = v; return this; }
    public Sweeps withInitImages(String... v) { initImages = List.of(v); return this; }
    public Sweeps withStrengths(Double... v) { strengths = List.of(v); return this; }
    public Sweeps withMask(String v) { mask = v; return this; }

    public String model() {
        return model;
    }

    public CreateSweepRequest build() {
        return new CreateSweepRequest(name, model, prompts, negativePrompts, cfgScales, steps, samplers, seeds, width,
                height, priority, noiseSource, PromptOverflow.TRUNCATE, initImages, strengths, mask);
    }
}
