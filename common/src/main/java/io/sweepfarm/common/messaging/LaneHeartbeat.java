package io.sweepfarm.common.messaging;

import io.sweepfarm.common.api.LaneAddons;
import io.sweepfarm.common.api.LaneState;
import java.time.Instant;

/**
 * A worker lane's periodic report, published every few seconds to {@link Topics#HEARTBEATS} (compacted, keyed by
 * {@code laneId}) and once more, with state {@link LaneState#STOPPED}, when the worker shuts down gracefully. The
 * coordinator keeps the latest of each lane as its fleet view; a lane whose heartbeats stop is shown as lost.
 *
 * @param workerId        the worker process (defaults to its host name)
 * @param laneId          the lane, {@code <worker id>/<device>[#index]}, as in results
 * @param host            host name of the worker
 * @param model           model name the lane serves
 * @param device          {@code cpu} or {@code cuda:N}
 * @param state           what the lane is doing (never {@link LaneState#LOST})
 * @param imagesPerSecond images rendered per second over the lane's recent window
 * @param meanStepMillis  wall time of one denoising step of a batch (a batched U-Net call with its share of text
 *                        encoding and decoding), averaged over the recent window; 0 before the first batch
 * @param batchSize       size of the lane's most recent batch; 0 before the first
 * @param lastError       operator-readable text of the lane's latest failure, or null; control characters are
 *                        escaped and the text is cut at {@link #MAX_ERROR_LENGTH}
 * @param version         the worker's version
 * @param sentAt          when the worker sent it (the worker's clock; liveness uses the broker's timestamp)
 * @param addons          what the lane can use beyond its model (LoRAs, ControlNets, refiner, depth or inpainting
 *                        U-Net), once its model is loaded; null before, and from workers older than this field
 */
public record LaneHeartbeat(
        String workerId,
        String laneId,
        String host,
        String model,
        String device,
        LaneState state,
        double imagesPerSecond,
        double meanStepMillis,
        int batchSize,
        String lastError,
        String version,
        Instant sentAt,
        LaneAddons addons) {

    /** Longest {@code lastError} kept, in characters. */
    public static final int MAX_ERROR_LENGTH = 500;

    public LaneHeartbeat {
        lastError = operatorText(lastError);
    }

    /**
     * {@code text} fit for a log line or a table cell: control characters escaped ({@code \n}, {@code \u0007}) and
     * cut at {@link #MAX_ERROR_LENGTH} characters with an ellipsis; null stays null.
     */
    public static String operatorText(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_ERROR_LENGTH) + 8);
        int i = 0;
        for (; i < text.length() && out.length() < MAX_ERROR_LENGTH; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (i < text.length() || out.length() > MAX_ERROR_LENGTH) {
            int cut = MAX_ERROR_LENGTH - 1;
            if (Character.isHighSurrogate(out.charAt(cut - 1))) {
                cut--;
            }
            out.setLength(cut);
            out.append('…');
        }
        return out.toString();
    }
}
