package io.sweepfarm.common.metrics;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The names of the metrics the services register (Micrometer, exposed at {@code /q/metrics} in the Prometheus
 * format), in one place for the code, the Grafana dashboard ({@code deploy/grafana/sweepfarm.json}) and
 * docs/operations.md. Names are already in Prometheus style; the Prometheus registry adds the usual suffixes:
 * {@code _total} to counters, {@code _seconds} to timers, and {@code _bucket}, {@code _count}, {@code _sum},
 * {@code _max} to timers and summaries.
 */
public final class MetricNames {

    // --- Tags ---
    public static final String TAG_MODEL = "model";
    public static final String TAG_SAMPLER = "sampler";
    public static final String TAG_LANE = "lane";
    public static final String TAG_DEVICE = "device";
    public static final String TAG_STATE = "state";

    // --- Worker ---
    /** Counter by model and sampler: images the engine rendered. */
    public static final String WORKER_IMAGES_RENDERED = "sweepfarm_worker_images_rendered";
    /** Counter by model and sampler: images reported FAILED (could not be rendered, encoded or stored). */
    public static final String WORKER_IMAGES_FAILED = "sweepfarm_worker_images_failed";
    /** Timer with histogram by model: wall time of one denoising step of a batch (batch time / steps). */
    public static final String WORKER_STEP_TIME = "sweepfarm_worker_step_time";
    /** Summary with histogram by model: images per rendered micro-batch. */
    public static final String WORKER_BATCH_SIZE = "sweepfarm_worker_batch_size";
    /** Gauge by lane, model, device and state: 1 for the lane's current state, 0 for the others. */
    public static final String WORKER_LANE_STATE = "sweepfarm_worker_lane_state";

    // --- Coordinator ---
    /** Counter by model: release rounds of the task relay that ran to the end (empty ones included). */
    public static final String RELAY_ROUNDS = "sweepfarm_relay_rounds";
    /** Counter by model: tasks the relay published to the model's task topic. */
    public static final String RELAY_RELEASED_TASKS = "sweepfarm_relay_released_tasks";
    /** Gauge by model: tasks released and not finished (the sweeps' queued counters), under the in-flight cap. */
    public static final String TASKS_IN_FLIGHT = "sweepfarm_tasks_in_flight";
    /** Summary with histogram: results recorded per transaction. */
    public static final String RESULTS_BATCH_SIZE = "sweepfarm_results_batch_size";
    /** Timer with histogram: from a result's finished_at (on the worker) to its recording. */
    public static final String RESULTS_RECORDING_LAG = "sweepfarm_results_recording_lag";
    /** Gauge: the results consumer's records-lag-max (records behind the end of its partitions, the worst one). */
    public static final String RESULTS_CONSUMER_LAG = "sweepfarm_results_consumer_lag";
    /** Gauge by state: number of sweeps in each state. */
    public static final String SWEEPS = "sweepfarm_sweeps";

    /** Every name above, as registered. */
    public static final List<String> ALL = List.of(WORKER_IMAGES_RENDERED, WORKER_IMAGES_FAILED, WORKER_STEP_TIME,
            WORKER_BATCH_SIZE, WORKER_LANE_STATE, RELAY_ROUNDS, RELAY_RELEASED_TASKS, TASKS_IN_FLIGHT,
            RESULTS_BATCH_SIZE, RESULTS_RECORDING_LAG, RESULTS_CONSUMER_LAG, SWEEPS);

    private static final Pattern SUFFIXES = Pattern.compile("(_total|_seconds)?(_bucket|_count|_sum|_max)?$");

    private MetricNames() {
    }

    /**
     * The registered name a Prometheus series name belongs to ({@code sweepfarm_relay_rounds_total} gives
     * {@code sweepfarm_relay_rounds}), or null when it is none of {@link #ALL}.
     */
    public static String registeredNameOf(String series) {
        if (ALL.contains(series)) {
            return series;
        }
        for (String name : ALL) {
            if (series.startsWith(name) && SUFFIXES.matcher(series.substring(name.length())).matches()) {
                return name;
            }
        }
        return null;
    }
}
