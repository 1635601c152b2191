package io.sweepfarm.engine;

import io.sweepfarm.engine.model.ControlNet;
import io.sweepfarm.engine.model.Latents;
import io.sweepfarm.engine.model.Residuals;
import io.sweepfarm.engine.model.UNetInput;
import java.util.ArrayList;
import java.util.List;

/**
 * ControlNet guidance of one U-Net batch, as diffusers' ControlNet pipelines do it: every unit runs on the full
 * guided batch (its control image repeated for the unconditional rows) with {@code conditioning_scale = scale ·
 * keep}, where {@code keep} is 0 while {@code i / calls < guidance_start} or {@code (i + 1) / calls > guidance_end}
 * (i counted from the run's first call), and the residuals of all units are summed. A unit that is off contributes
 * zeros without running. Not thread-safe.
 */
final class ControlGuidance {

    private record Unit(ControlNet net, Latents images, float scale, double start, double end) {
    }

    private final List<Unit> units;
    private final ControlNet shapeSource;
    private Residuals zeros;

    private ControlGuidance(List<Unit> units, ControlNet shapeSource) {
        this.units = units;
        this.shapeSource = shapeSource;
    }

    /**
     * The guidance of {@code requests} at {@code width × height}, or null when they name no ControlNet and the
     * U-Net takes no residuals.
     *
     * @param unetResiduals down-block residual inputs of the U-Net (0 when it takes none)
     */
    static ControlGuidance prepare(ControlNets nets, List<ImageRequest> requests, Rows rows, int width, int height,
            int unetResiduals) {
        List<ControlNetUnit> first = requests.get(0).controlNets();
        if (first.isEmpty() && unetResiduals == 0) {
            return null;
        }
        if (!first.isEmpty() && unetResiduals == 0) {
            throw new IllegalArgumentException("ControlNet '" + first.get(0).name() + "' needs a U-Net exported with "
                    + "ControlNet residual inputs, and this model's U-Net has none");
        }
        List<Unit> units = new ArrayList<>();
        for (int u = 0; u < first.size(); u++) {
            ControlNetUnit settings = first.get(u);
            ControlNet net = nets.get(settings.name());
            if (net.downResiduals() != unetResiduals) {
                throw new IllegalArgumentException("ControlNet '" + settings.name() + "' gives " + net.downResiduals()
                        + " down-block residuals, the U-Net takes " + unetResiduals);
            }
            int plane = 3 * width * height;
            float[] images = new float[rows.count() * plane];
            int row = 0;
            for (int k : rows.guided()) {
                System.arraycopy(image(requests.get(k), u, width, height), 0, images, row++ * plane, plane);
            }
            for (ImageRequest r : requests) {
                System.arraycopy(image(r, u, width, height), 0, images, row++ * plane, plane);
            }
            units.add(new Unit(net, new Latents(images, rows.count(), 3, height, width), (float) settings.scale(),
                    settings.guidanceStart(), settings.guidanceEnd()));
        }
        ControlNet shapes = units.isEmpty() ? anyOf(nets) : units.get(0).net();
        return new ControlGuidance(units, shapes);
    }

    private static ControlNet anyOf(ControlNets nets) {
        List<String> names = nets.names();
        if (names.isEmpty()) {
            throw new IllegalArgumentException("this model's U-Net is exported for ControlNet and needs residuals, "
                    + "but no ControlNet is configured to size them; configure a ControlNet folder");
        }
        return nets.get(names.get(0));
    }

    private static float[] image(ImageRequest r, int unit, int width, int height) {
        return Pixels.toUnitTensor(r.controlNets().get(unit).image(), width, height);
    }

    /**
     * The summed residuals for call {@code i} of a run whose calls go from {@code first} to {@code calls}.
     *
     * @param in the U-Net call with 4-channel latents (ControlNets take the latents only)
     */
    Residuals residuals(int i, int first, int calls, UNetInput in) {
        int n = calls - first;
        int step = i - first;
        Residuals sum = null;
        for (Unit u : units) {
            boolean off = (double) step / n < u.start() || (double) (step + 1) / n > u.end();
            if (off || u.scale() == 0f) {
                continue;
            }
            Residuals r = u.net().run(in, u.images(), u.scale());
            sum = sum == null ? r : sum.plus(r);
        }
        if (sum != null) {
            return sum;
        }
        if (zeros == null || zeros.mid().batch() != in.sample().batch()) {
            Latents blank = new Latents(new float[in.sample().batch() * 3 * in.sample().height() * 8
                    * in.sample().width() * 8], in.sample().batch(), 3, in.sample().height() * 8,
                    in.sample().width() * 8);
            zeros = shapeSource.run(in, blank, 0f).zeros();
        }
        return zeros;
    }
}
