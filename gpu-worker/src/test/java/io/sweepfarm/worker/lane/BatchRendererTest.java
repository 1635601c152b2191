package io.sweepfarm.worker.lane;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.devstack.Endpoints;
import io.sweepfarm.worker.lane.BatchRenderer.Inputs;
import io.sweepfarm.worker.lane.BatchRenderer.Rendered;
import io.sweepfarm.worker.render.RenderOutcome;
import io.sweepfarm.worker.fleet.LaneStats;
import io.sweepfarm.worker.render.Renderer;
import io.sweepfarm.worker.storage.ImageStore;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One bad task among its batch: the renderer throws, or rejects the whole batch, for seed 13. */
class BatchRendererTest {

    /** Renders like the stub unless the batch holds seed 13: then it throws, or rejects every task. */
    static final class Poisoned implements Renderer {
        private final boolean throwing;
        private final StubRenderer stub = new StubRenderer(0);
        final AtomicInteger calls = new AtomicInteger();

        Poisoned(boolean throwing) {
            this.throwing = throwing;
        }

        @Override
        public List<RenderOutcome> render(List<RenderTask> batch, Map<String, BufferedImage> inputs) {
            calls.incrementAndGet();
            if (batch.stream().anyMatch(t -> t.params().seed() == 13)) {
                if (throwing) {
                    throw new IndexOutOfBoundsException("Index -1 out of bounds for length 1");
                }
                return batch.stream().<RenderOutcome>map(t -> new RenderOutcome.Rejected("seed 13 is cursed")).toList();
            }
            return stub.render(batch, inputs);
        }

        @Override
        public String describe() {
            return "poisoned";
        }

        @Override
        public void close() {
        }
    }

    private static BatchRenderer batchRenderer(Renderer renderer) {
        Endpoints nowhere = new Endpoints("jdbc:none", "", "", "none:1", "http://127.0.0.1:1", "k", "s", "b");
        return new BatchRenderer(renderer, new ImageStore(DevstackS3.config(nowhere)), "w/cpu", 4, 3, new Outages(),
                LaneStats.detached("w/cpu"));
    }

    private static List<RenderTask> batchWithSeed13() {
        UUID sweep = UUID.randomUUID();
        List<RenderTask> tasks = new ArrayList<>();
        for (long seed : new long[] {11, 12, 13, 14}) {
            tasks.add(Tasks.aTask("m", sweep, seed));
        }
        return tasks;
    }

    @Test
    void aBatchThatThrowsIsRenderedOneByOneAndOnlyTheBadTaskFails() {
        Poisoned renderer = new Poisoned(true);
        List<Rendered> out = batchRenderer(renderer).renderAll(batchWithSeed13(), new Inputs(Map.of(), Map.of()),
                () -> true);
        assertThat(out).hasSize(4);
        assertThat(out).filteredOn(r -> r.task().params().seed() != 13)
                .allMatch(r -> r.outcome() instanceof RenderOutcome.Rendered);
        assertThat(out).filteredOn(r -> r.task().params().seed() == 13).singleElement()
                .satisfies(r -> assertThat(((RenderOutcome.Rejected) r.outcome()).reason())
                        .contains("render failed on w/cpu poisoned").contains("IndexOutOfBoundsException"));
        assertThat(renderer.calls).hasValue(5);
    }

    @Test
    void aBatchTheRendererRejectsAsAWholeIsRenderedOneByOneAndOnlyTheBadTaskFails() {
        List<Rendered> out = batchRenderer(new Poisoned(false)).renderAll(batchWithSeed13(),
                new Inputs(Map.of(), Map.of()), () -> true);
        assertThat(out).filteredOn(r -> r.outcome() instanceof RenderOutcome.Rejected).singleElement()
                .satisfies(r -> assertThat(r.task().params().seed()).isEqualTo(13));
    }

    @Test
    void aStoppingLaneFinishesTheBatchInHandAndRendersNoMore() {
        StubRenderer renderer = new StubRenderer(0);
        List<RenderTask> tasks = new ArrayList<>(batchWithSeed13());
        tasks.addAll(batchWithSeed13());
        AtomicInteger asked = new AtomicInteger();
        List<Rendered> out = batchRenderer(renderer).renderAll(tasks, new Inputs(Map.of(), Map.of()),
                () -> asked.incrementAndGet() == 1);
        assertThat(out).hasSize(4);
        assertThat(renderer.rendered).hasValue(4);
    }
}
