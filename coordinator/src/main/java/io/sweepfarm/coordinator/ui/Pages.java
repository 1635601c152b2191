package io.sweepfarm.coordinator.ui;

import io.quarkus.qute.TemplateData;
import io.sweepfarm.common.api.ImageView;
import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.common.png.InfoText;
import io.sweepfarm.common.sampler.SamplerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The records the page templates read (beyond {@link Progress} and {@link Tile}). */
public final class Pages {

    private Pages() {
    }

    /** A failed image and why. */
    @TemplateData
    public record Failure(String id, long ordinal, String error) {
    }

    /** The sweep page. */
    @TemplateData
    public record SweepPage(Progress progress, List<Tile> tiles, boolean more, List<Failure> failures) {
    }

    /** A sweep as a choice in a selector. */
    @TemplateData
    public record SweepOption(String id, String title) {
    }

    /** One filter input of the browse page. */
    @TemplateData
    public record FilterField(String name, String label, String value, String inputMode) {
    }

    /** The browse page, or one more page of its tiles. */
    @TemplateData
    public record Browse(List<Tile> tiles, String nextUrl, String nextFragmentUrl, String error, String sweepId,
            String state, List<String> states, List<SweepOption> sweeps, List<FilterField> fields,
            Map<String, String> hidden) {
    }

    /** One row of the dry-run preview; {@code modes} are its parameters beyond txt2img, in the sweep's order. */
    @TemplateData
    public record PreviewRow(long ordinal, String prompt, String negativePrompt, String cfg, int steps, String sampler,
            long seed, String size, List<Mode> modes) {

        static PreviewRow of(long ordinal, ImageParameters p) {
            return new PreviewRow(ordinal, p.prompt(), p.negativePrompt(), InfoText.number(p.cfgScale()), p.steps(),
                    SamplerId.fromId(p.sampler()).map(SamplerId::displayName).orElse(p.sampler()), p.seed(),
                    p.width() + "x" + p.height(), Mode.of(p));
        }
    }

    /**
     * A mode an image of the preview uses, as a short text ({@code ControlNet canny:0.5:0:1}) and, for an input
     * image, its uploaded file's name (shown small).
     */
    @TemplateData
    public record Mode(String text, String image) {

        static List<Mode> of(ImageParameters p) {
            List<Mode> modes = new ArrayList<>();
            if (p.initImage() != null) {
                modes.add(new Mode("init, strength " + InfoText.number(p.strength()), name(p.initImage())));
            }
            if (p.mask() != null) {
                modes.add(new Mode("mask", name(p.mask())));
            }
            if (p.depthMap() != null) {
                modes.add(new Mode("depth map", name(p.depthMap())));
            }
            p.loras().forEach(l -> modes.add(new Mode("LoRA " + l.label(), null)));
            p.controlnets().forEach(c -> modes.add(new Mode("ControlNet " + c.label(), name(c.image()))));
            if (p.hiresScale() != null) {
                modes.add(new Mode("hires ×" + InfoText.number(p.hiresScale()) + ", strength "
                        + InfoText.number(p.hiresStrength()) + ", " + p.hiresUpscaler(), null));
            }
            if (p.refinerSwitchAt() != null) {
                modes.add(new Mode("refiner at " + InfoText.number(p.refinerSwitchAt()), null));
            }
            return modes;
        }

        /** {@code inputs/<sha256>.png} → {@code <sha256>.png}, as {@code /sweeps/new/inputs/{name}} serves it. */
        private static String name(String key) {
            return key.substring(key.lastIndexOf('/') + 1);
        }
    }

    /** The dry run's answer: the count and the first images, or the mistakes by field. */
    @TemplateData
    public record Preview(long count, List<PreviewRow> images, Map<String, String> errors) {

        /** Whether any of the first images uses a mode beyond txt2img (the preview then has a column for them). */
        public boolean hasModes() {
            return images.stream().anyMatch(r -> !r.modes().isEmpty());
        }
    }

    /** The image detail page. */
    @TemplateData
    public record ImageDetail(ImageView view, String sweepTitle, String stateLabel, boolean rendered, String alt,
            String infotext, Map<String, String> params, String fileName, String gridUrl, String previousId,
            Long previousOrdinal, String nextId, Long nextOrdinal) {
    }

    /** The grid page. */
    @TemplateData
    public record Grid(GridPage.Plot plot, String title, String exportUrl, String liveUrl, int zoom, List<Integer> zooms,
            boolean finished) {
    }

    /** A model of the fleet view: its live lanes, what waits for them, their pace. */
    @TemplateData
    public record ModelLoad(String model, int liveLanes, String waiting, String rate, boolean served) {
    }

    /** A worker lane of the fleet view. */
    @TemplateData
    public record Lane(String id, String host, String model, String device, String state, String rate, int batch,
            String age, String lastError, String addons) {
    }
}
