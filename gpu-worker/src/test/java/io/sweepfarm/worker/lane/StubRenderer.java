package io.sweepfarm.worker.lane;

import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.worker.render.RenderOutcome;
import io.sweepfarm.worker.render.Renderer;
import io.sweepfarm.worker.render.TaskRequests;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A renderer that paints each image one colour from its seed, in no time, in {@code millisPerBatch}, or when a test
 * lets it: for tests about Kafka, S3 and the lane rather than the engine.
 */
final class StubRenderer implements Renderer {

    private final long millisPerBatch;
    private final Semaphore gate;
    final AtomicInteger rendered = new AtomicInteger();

    StubRenderer(long millisPerBatch) {
        this.millisPerBatch = millisPerBatch;
        this.gate = null;
    }

    /** A renderer that renders a batch only when the test releases a permit of {@code gate}. */
    StubRenderer(Semaphore gate) {
        this.millisPerBatch = 0;
        this.gate = gate;
    }

    @Override
    public List<RenderOutcome> render(List<RenderTask> batch, Map<String, BufferedImage> inputs) {
        if (gate != null) {
            gate.acquireUninterruptibly();
        }
        if (millisPerBatch > 0) {
            try {
                Thread.sleep(millisPerBatch); // stands for GPU time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<RenderOutcome> out = new ArrayList<>();
        for (RenderTask t : batch) {
            int width = t.params().width();
            int height = t.params().height();
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            int rgb = new Color((int) (t.params().seed() * 2654435761L)).getRGB();
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    image.setRGB(x, y, rgb);
                }
            }
            out.add(new RenderOutcome.Rendered(image, TaskRequests.toRequest(t, inputs).request(), List.of()));
            rendered.incrementAndGet();
        }
        return out;
    }

    @Override
    public String describe() {
        return "stub";
    }

    @Override
    public void close() {
    }
}
