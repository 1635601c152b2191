package io.sweepfarm.common.messaging;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Kafka topic names. Versioned so a change of message format gets new topics rather than breaking old readers.
 *
 * <p>Tasks go to one topic per model ({@code sweepfarm.tasks.v2.<encoded model>}, see {@link #tasks}): a worker that
 * pins a model subscribes to exactly the work it can do, and per-model lag is the autoscaling signal. Results from
 * every worker share {@link #RESULTS}.
 */
public final class Topics {

    /** v2: a task's parameters are the flat fields of {@link io.sweepfarm.common.image.ImageParameters}. */
    public static final String TASKS_PREFIX = "sweepfarm.tasks.v2.";
    public static final String RESULTS = "sweepfarm.results.v1";
    /** Compacted, keyed by sweep id: the latest {@link SweepControl} of each sweep, read by every worker. */
    public static final String CONTROL = "sweepfarm.control.v1";
    /** Compacted, keyed by lane id: the latest {@link LaneHeartbeat} of each worker lane, read by coordinators. */
    public static final String HEARTBEATS = "sweepfarm.heartbeats.v1";

    /**
     * Model names: lower-case letters, digits, '.', '_' and '-', 1-100 characters. The bound keeps the longest
     * encoded task topic (every character escaped, see {@link #tasks}) within Kafka's 249 characters.
     */
    public static final Pattern MODEL_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    /** {@link #MODEL_NAME} in words, for refusals. */
    public static final String MODEL_NAME_RULE =
            "1-100 characters from a-z, 0-9, '.', '_', '-', starting with a letter or digit (it names a Kafka topic)";

    private Topics() {
    }

    /**
     * The task topic of {@code model}; the model name must match {@link #MODEL_NAME} (after lower-casing).
     *
     * <p>The model is encoded injectively and so that no two task topics collide in Kafka's sense: Kafka refuses a
     * topic whose name equals an existing one once every '.' is replaced by '_' (they share metric names), so the
     * models {@code hx.collide} and {@code hx_collide} cannot map to topics that differ only there. The encoding
     * keeps letters, digits and '.', writes '-' as {@code --} and '_' as {@code -u}. The result never contains '_',
     * and every '-' starts a two-character escape, so distinct models give distinct names even after Kafka's '.'/'_'
     * folding. Models without '-' or '_' (e.g. {@code sd15}, {@code sd1.5}) keep their plain name.
     */
    public static String tasks(String model) {
        String normalised = model.toLowerCase(Locale.ROOT);
        if (!MODEL_NAME.matcher(normalised).matches()) {
            throw new IllegalArgumentException("model name '" + model + "' is not usable: use " + MODEL_NAME_RULE);
        }
        StringBuilder encoded = new StringBuilder(TASKS_PREFIX.length() + 2 * normalised.length());
        encoded.append(TASKS_PREFIX);
        for (int i = 0; i < normalised.length(); i++) {
            char c = normalised.charAt(i);
            switch (c) {
                case '-' -> encoded.append("--");
                case '_' -> encoded.append("-u");
                default -> encoded.append(c);
            }
        }
        return encoded.toString();
    }
}
