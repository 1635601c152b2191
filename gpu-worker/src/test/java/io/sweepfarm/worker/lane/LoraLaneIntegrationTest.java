package io.sweepfarm.worker.lane;

import static io.sweepfarm.worker.lane.ModeTask.aFox;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.common.image.LoraWeight;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.png.InfoText;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import io.sweepfarm.worker.lane.TinyModelTestResource.Modes;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A LoRA-scale axis through a worker lane: tasks that differ only in the scale of a LoRA from the lane's LoRA folder
 * render different images, each PNG's infotext carries the LoRA tag it was rendered with, and the S3 metadata its
 * label; a task naming a LoRA the lane does not have fails naming it. (The same worker as
 * {@link ModesLaneIntegrationTest}, so that Quarkus starts it once for both.)
 */
@QuarkusTest
@RequiresInfra
@WithTestResource(DevstackTestResource.class)
@WithTestResource(Modes.class)
class LoraLaneIntegrationTest {

    private static final String LORA = Modes.LORA;
    private final LaneRun lanes = new LaneRun(DevstackTestResource.endpoints());

    @Test
    void eachLoraScaleRendersItsOwnImageWithItsTagInTheInfotextAndItsLabelInTheMetadata() throws Exception {
        UUID sweep = UUID.randomUUID();
        RenderTask half = aFox(Modes.SD).withLoras(List.of(new LoraWeight(LORA, 0.5))).build(sweep, 0);
        RenderTask full = aFox(Modes.SD).withLoras(List.of(new LoraWeight(LORA, 1.0))).build(sweep, 1);
        RenderTask unknown = aFox(Modes.SD).withLoras(List.of(new LoraWeight("not-there", 1.0))).build(sweep, 2);
        LaneRun.Outcomes outcomes = lanes.render(List.of(half, full, unknown));
        RenderResult a = outcomes.of(half);
        RenderResult b = outcomes.of(full);
        assertThat(a.outcome()).isEqualTo(RenderResult.Outcome.SUCCEEDED);
        assertThat(b.outcome()).isEqualTo(RenderResult.Outcome.SUCCEEDED);
        assertThat(a.sha256()).isNotEqualTo(b.sha256());
        RenderResult missing = outcomes.of(unknown);
        assertThat(missing.outcome()).isEqualTo(RenderResult.Outcome.FAILED);
        assertThat(missing.error()).contains("not-there");

        List<String> prompts = new ArrayList<>();
        for (RenderTask t : List.of(half, full)) {
            prompts.add(lanes.infotext(t).prompt());
            assertThat(lanes.metadata(t)).containsEntry("loras", LORA + ":" + InfoText.number(t.params().loras()
                    .get(0).scale()));
        }
        assertThat(prompts).containsExactly("a red fox <lora:" + LORA + ":0.5>", "a red fox <lora:" + LORA + ":1>");
    }
}
