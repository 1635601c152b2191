package io.sweepfarm.common.messaging;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Kafka topic names. Versioned so a change of message format gets new topics rather than breaking old readers.
 *
 * <p>Tasks go to one topic per model ({@code sweepfarm.tasks.v1.<model>}): a worker that pins a model subscribes to
 * exactly the work it can do, and per-model lag is the autoscaling signal. Results from every worker share
 * {@link #RESULTS}.
 */
public final class Topics {

    /** v2: a task's parameters are the flat fields of {@link io.sweepfarm.common.image.ImageParameters}. */
    public static final String TASKS_PREFIX = "sweepfarm.tasks.v2.";
    public static final String RESULTS = "sweepfarm.results.v1";
    /** Compacted, keyed by sweep id: the latest {@link SweepControl} of each sweep, read by every worker. */
    public static final String CONTROL = "sweepfarm.control.v1";

    /** Model names are restricted so that they are valid inside a topic name (max 249 chars, [a-zA-Z0-9._-]). */
    public static final Pattern MODEL_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,127}");

    private Topics() {
    }

    /** The task topic of {@code model}; the model name must match {@link #MODEL_NAME}. */
    public static String tasks(String model) {
        String normalised = model.toLowerCase(Locale.ROOT);
        if (!MODEL_NAME.matcher(normalised).matches()) {
            throw new IllegalArgumentException("model name '" + model
                    + "' is not usable in a topic name: use 1-128 characters from a-z, 0-9, '.', '_', '-'");
        }
        return TASKS_PREFIX + normalised;
    }
}
