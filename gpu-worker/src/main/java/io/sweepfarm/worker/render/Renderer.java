package io.sweepfarm.worker.render;

import io.sweepfarm.common.api.LaneAddons;
import io.sweepfarm.common.messaging.RenderTask;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;

/**
 * Turns tasks into images. One renderer belongs to one lane (one model on one device) and is called from that lane's
 * thread only.
 */
public interface Renderer extends AutoCloseable {

    /**
     * Renders a batch of compatible tasks (equal {@link RenderTask#batchKey()}), returning one outcome per task in
     * the same order. An image's pixels depend only on its own parameters and seed, never on the batch.
     *
     * @param inputs the inputs the tasks name (init images, masks, depth maps, control images), decoded, by object key
     */
    List<RenderOutcome> render(List<RenderTask> batch, Map<String, BufferedImage> inputs);

    /**
     * What the lane can use beyond its model, for its heartbeats (LoRAs, ControlNets, refiner, depth or inpainting
     * U-Net), or null when unknown. Called from the heartbeat thread; folders are listed anew on each call.
     */
    default LaneAddons addons() {
        return null;
    }

    /** One line for logs, e.g. {@code sd15 on cuda:0}. */
    String describe();

    @Override
    void close();
}
