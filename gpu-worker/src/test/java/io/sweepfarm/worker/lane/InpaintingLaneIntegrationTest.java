package io.sweepfarm.worker.lane;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A worker serving a 9-channel inpainting U-Net renders tasks that carry an init image, a strength and a mask. */
@QuarkusTest
@RequiresInfra
@WithTestResource(DevstackTestResource.class)
@WithTestResource(TinyModelTestResource.Inpainting.class)
class InpaintingLaneIntegrationTest {

    private final LaneRun lanes = new LaneRun(DevstackTestResource.endpoints());

    @Test
    void anInpaintingTaskWithInitImageStrengthAndMaskSucceeds_andATaskWithoutAMaskIsRefusedWithTheReason()
            throws Exception {
        BufferedImage init = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        BufferedImage mask = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = mask.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(16, 8, 32, 32);
        g.dispose();
        String initKey = lanes.upload(init, "12");
        String maskKey = lanes.upload(mask, "34");
        UUID sweep = UUID.randomUUID();
        String model = TinyModelTestResource.Inpainting.MODEL;
        RenderTask inpaint = TaskLaneIntegrationTest.task(model, sweep, 0, 5, initKey, 1.0, maskKey);
        RenderTask partial = TaskLaneIntegrationTest.task(model, sweep, 1, 5, initKey, 0.5, maskKey);
        RenderTask noMask = TaskLaneIntegrationTest.task(model, sweep, 2, 5, null, null, null);

        LaneRun.Outcomes outcomes = lanes.render(List.of(inpaint, partial, noMask));
        assertThat(outcomes.of(inpaint).outcome()).isEqualTo(RenderResult.Outcome.SUCCEEDED);
        assertThat(outcomes.of(partial).outcome()).isEqualTo(RenderResult.Outcome.SUCCEEDED);
        assertThat(outcomes.of(partial).sha256()).isNotEqualTo(outcomes.of(inpaint).sha256());
        RenderResult refused = outcomes.of(noMask);
        assertThat(refused.outcome()).isEqualTo(RenderResult.Outcome.FAILED);
        assertThat(refused.error()).contains("inpainting U-Net");
    }
}
