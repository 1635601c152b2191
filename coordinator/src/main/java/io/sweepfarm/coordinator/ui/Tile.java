package io.sweepfarm.coordinator.ui;

import io.quarkus.qute.TemplateData;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.ImageView;
import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.common.png.InfoText;
import java.util.Locale;

/** One image as a thumbnail tile: its link, thumbnail size, and a caption with the parameters that tell it apart. */
@TemplateData
public record Tile(String id, String stateLabel, boolean rendered, String caption, String alt, int width, int height,
        String cellId) {

    static Tile of(ImageView v) {
        ImageParameters p = v.params();
        double ratio = Math.min(1.0, (double) Thumbnails.SIZE / Math.max(p.width(), p.height()));
        String caption = "#" + v.ordinal() + " · cfg " + InfoText.number(p.cfgScale()) + " · " + p.steps()
                + " steps · seed " + p.seed();
        return new Tile(v.id().toString(), v.state().name().toLowerCase(Locale.ROOT),
                v.state() == ImageState.SUCCEEDED, caption, alt(p), (int) Math.round(p.width() * ratio),
                (int) Math.round(p.height() * ratio), null);
    }

    /** Alternative text: the prompt (shortened) and the seed, which is what tells images of a sweep apart. */
    static String alt(ImageParameters p) {
        String prompt = p.prompt() == null ? "" : p.prompt();
        return (prompt.length() > 120 ? prompt.substring(0, 119) + "…" : prompt) + ", seed " + p.seed();
    }
}
