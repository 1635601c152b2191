package io.sweepfarm.worker.lane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.devstack.Endpoints;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import io.sweepfarm.worker.render.RenderOutcome;
import io.sweepfarm.worker.render.Renderer;
import io.sweepfarm.worker.storage.ImageStore;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Results whose texts would not fit a Kafka record, against real Kafka and S3: they are bounded, and a result the
 * producer still refuses as too large is sent in its smallest form; every image gets its result and the lane goes on.
 */
@RequiresInfra
class ResultSizeTest {

    private final Endpoints infra = DevstackTestResource.endpoints();

    /** Renders like the stub, with a flood of warnings for seeds 3 and 5. */
    static final class Chatty implements Renderer {
        private final StubRenderer stub = new StubRenderer(0);

        @Override
        public List<RenderOutcome> render(List<RenderTask> batch, Map<String, BufferedImage> inputs) {
            List<RenderOutcome> out = new ArrayList<>();
            List<RenderOutcome> plain = stub.render(batch, inputs);
            for (int i = 0; i < batch.size(); i++) {
                RenderOutcome.Rendered r = (RenderOutcome.Rendered) plain.get(i);
                long seed = batch.get(i).params().seed();
                out.add(seed == 3 || seed == 5 ? new RenderOutcome.Rendered(r.image(), r.request(),
                        Collections.nCopies(100, "w".repeat(20_000))) : r);
            }
            return out;
        }

        @Override
        public String describe() {
            return "chatty";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aResultWithTooMuchTextIsBoundedOrSentInItsSmallestFormAndTheLaneGoesOn() throws Exception {
        String model = "sizes-" + UUID.randomUUID().toString().substring(0, 8);
        UUID sweep = UUID.randomUUID();
        List<RenderTask> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            tasks.add(Tasks.aTask(model, sweep, i));
        }
        TaskTopics.send(infra.kafkaBootstrap(), tasks, 0);
        ImageStore store = new ImageStore(DevstackS3.config(infra));
        store.ensureBucket();
        // A producer that takes records up to 2 kB: a bounded result with its warnings is still too large for it.
        try (LaneRunner lane = new LaneRunner(infra.kafkaBootstrap(), model, "sizes", new Chatty(), store,
                Lanes.settings(2, 2, 2), SweepStates.NONE, new Outages(), Map.of(),
                Map.of("max.request.size", "2048"))) {
            List<RenderResult> results = Results.collect(infra.kafkaBootstrap(), sweep, tasks.size(),
                    Duration.ofMinutes(1));
            await().atMost(Duration.ofSeconds(30)).until(() -> TaskTopics.lag(infra.kafkaBootstrap(), model) == 0);
            assertThat(results).allMatch(r -> r.outcome() == RenderResult.Outcome.SUCCEEDED);
            assertThat(results).filteredOn(r -> r.imageId().equals(tasks.get(3).imageId())
                    || r.imageId().equals(tasks.get(5).imageId())).hasSize(2)
                    .allSatisfy(r -> assertThat(r.warnings()).isNullOrEmpty());
            assertThat(lane.died.get()).isNull();
        }
    }
}
