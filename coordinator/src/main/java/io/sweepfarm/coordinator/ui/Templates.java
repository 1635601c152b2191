package io.sweepfarm.coordinator.ui;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.sweepfarm.common.api.GridView;
import io.sweepfarm.common.sampler.SamplerId;
import java.util.List;
import java.util.Map;

/**
 * The pages' Qute templates ({@code templates/ui/*.html}), checked at build time against these parameters; the
 * {@code page$fragment} methods render one part of a page (live updates, infinite scroll, the form's preview).
 * Every expression is HTML-escaped, so user text (names, prompts) is shown, never interpreted.
 */
@CheckedTemplate(basePath = "ui")
@TemplateData(target = GridView.Cell.class)
@TemplateData(target = GridView.class)
final class Templates {

    private Templates() {
    }

    static native TemplateInstance sweeps(List<Progress> sweeps, String state, String model, List<String> states,
            List<String> models, String query);

    static native TemplateInstance sweeps$row(Progress s);

    static native TemplateInstance sweeps$live(Progress s);

    static native TemplateInstance sweeps$liveActions(Progress s);

    static native TemplateInstance sweep(Pages.SweepPage page);

    static native TemplateInstance sweep$progress(Progress s);

    static native TemplateInstance sweep$actions(Progress s);

    static native TemplateInstance sweep$tile(Tile t);

    static native TemplateInstance compose(SweepForm form, Map<String, String> errors, List<SamplerId> samplers,
            List<String> models, String modelHint, Pages.Preview preview);

    static native TemplateInstance compose$preview(Pages.Preview preview);

    static native TemplateInstance compose$inputs(SweepForm form, Map<String, String> errors);

    static native TemplateInstance compose$controlnets(SweepForm form, Map<String, String> errors);

    static native TemplateInstance images(Pages.Browse page);

    static native TemplateInstance images$tiles(Pages.Browse page);

    static native TemplateInstance image(Pages.ImageDetail d);

    static native TemplateInstance grid(Pages.Grid g);

    static native TemplateInstance grid$live(String imageId);

    static native TemplateInstance fleet(List<Pages.Lane> lanes, List<Pages.ModelLoad> models);

    static native TemplateInstance error(String title, String detail, String back);

    static native TemplateInstance signin(String next, String error);
}
