package io.sweepfarm.worker.lane;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sweepfarm.common.messaging.KafkaClients;
import io.sweepfarm.worker.config.LaneSpec;
import io.sweepfarm.worker.config.WorkerConfig;
import io.sweepfarm.engine.model.DeviceSpec;
import io.sweepfarm.worker.render.EngineRenderer;
import io.sweepfarm.worker.fleet.HeartbeatPublisher;
import io.sweepfarm.worker.fleet.LaneStats;
import io.sweepfarm.worker.render.Renderer;
import io.sweepfarm.worker.storage.ImageStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Starts the worker's lanes when the application starts and stops them on shutdown. Each lane loads its model on its
 * device and consumes on its own thread with its own consumer; the lanes share one result producer. Start-up fails,
 * and the process exits with the reason, when a lane's device or model cannot be loaded: a worker that cannot render
 * must not consume.
 */
@ApplicationScoped
public class WorkerLifecycle {

    private static final Logger LOG = Logger.getLogger(WorkerLifecycle.class);

    private final WorkerConfig config;
    private final ImageStore store;
    private final SweepControls controls;
    private final Outages outages;
    private final HeartbeatPublisher heartbeats;
    private final java.util.Map<String, Object> kafka;
    private final List<Renderer> renderers = new ArrayList<>();
    private final List<TaskLane> lanes = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final java.util.Map<String, Thread> threadsByLane = new java.util.concurrent.ConcurrentHashMap<>();
    private KafkaProducer<String, byte[]> producer;
    private volatile boolean stopping;
    /** Prometheus metrics of the lanes (/q/metrics). */
    @jakarta.inject.Inject
    io.micrometer.core.instrument.MeterRegistry meters;

    WorkerLifecycle(WorkerConfig config, ImageStore store, SweepControls controls, Outages outages,
            HeartbeatPublisher heartbeats,
            @io.smallrye.common.annotation.Identifier("default-kafka-broker") java.util.Map<String, Object> kafka) {
        this.config = config;
        this.store = store;
        this.controls = controls;
        this.outages = outages;
        this.heartbeats = heartbeats;
        this.kafka = kafka;
    }

    void onStart(@Observes StartupEvent event) throws Exception {
        List<LaneSpec> specs = LaneSpec.of(config);
        String workerId = config.id().orElseGet(WorkerLifecycle::hostName);
        // Fleet heartbeats: every lane reports LOADING from now on, then what it does.
        List<LaneStats> stats = specs.stream().map(s -> heartbeats.register(workerId, s.id(workerId, specs.size()),
                s.model(), s.device()).meteredBy(meters)).toList();
        try {
            for (LaneSpec lane : specs) {
                long t0 = System.nanoTime();
                Renderer renderer = EngineRenderer.open(lane.model(), lane.engine(),
                        DeviceSpec.parse(lane.device()), config.intraOpThreads());
                renderers.add(renderer);
                stats.get(lane.index() - 1).loaded(renderer::addons);
                LOG.infof("lane %d: loaded model %s from %s on %s in %d ms", lane.index(), lane.model(),
                        lane.modelPath(), lane.device(), (System.nanoTime() - t0) / 1_000_000);
            }
        } catch (RuntimeException e) {
            stats.get(renderers.size()).failed(e.getMessage());
            heartbeats.stop();
            renderers.forEach(Renderer::close);
            throw e;
        }
        store.ensureBucket();
        controls.start();
        producer = new KafkaProducer<>(producerProperties(workerId), new StringSerializer(), new ByteArraySerializer());
        for (int i = 0; i < specs.size(); i++) {
            LaneSpec spec = specs.get(i);
            String laneId = spec.id(workerId, specs.size());
            KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties(spec.model(), laneId),
                    new StringDeserializer(), new ByteArrayDeserializer());
            TaskLane lane = new TaskLane(spec.model(), consumer, producer, renderers.get(i), store, laneId,
                    LaneSettings.of(config), controls, outages, stats.get(i));
            Thread thread = new Thread(lane, "lane-" + spec.index() + "-" + spec.model() + "@" + spec.device());
            LaneStats laneStats = stats.get(i);
            thread.setUncaughtExceptionHandler((t, e) -> {
                LOG.errorf(e, "lane %s died; liveness now fails so that the worker is restarted", t.getName());
                laneStats.failed("lane thread died: " + e);
                heartbeats.sendAll();
            });
            lanes.add(lane);
            threads.add(thread);
            threadsByLane.put(laneId, thread);
            thread.start();
        }
    }

    /** Each lane's id and thread, for the health checks. */
    java.util.Map<String, Thread> laneThreads() {
        return threadsByLane;
    }

    /** Whether the worker is shutting down (its lanes end on purpose). */
    boolean stopping() {
        return stopping;
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        stopping = true;
        lanes.forEach(TaskLane::stop);
        for (Thread t : threads) {
            t.join(60_000);
        }
        heartbeats.stop(); // the last heartbeat says STOPPED once the lanes have finished
        if (producer != null) {
            producer.close();
        }
        renderers.forEach(Renderer::close);
    }

    /**
     * The lane's consumer: the common Kafka settings ({@code kafka.*}) plus its own. It never creates the task topic
     * (the coordinator creates it with the configured partition count; a broker-default topic would be grown later)
     * and refreshes the topic's metadata every {@code metadata-max-age}, so partitions added while it runs are
     * consumed within that time.
     */
    private java.util.Map<String, Object> consumerProperties(String model, String laneId) {
        return KafkaClients.settings(kafka, java.util.Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "sweepfarm-workers." + model,
                ConsumerConfig.CLIENT_ID_CONFIG, laneId + "-tasks",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false",
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, Long.toString(config.metadataMaxAge().toMillis()),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(Math.max(1, config.maxBatch())),
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Long.toString(config.maxPollInterval().toMillis()),
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(config.sessionTimeout().toMillis()),
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor"));
    }

    private java.util.Map<String, Object> producerProperties(String workerId) {
        return KafkaClients.settings(kafka, java.util.Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, workerId + "-results",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.LINGER_MS_CONFIG, "5"));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "worker";
        }
    }
}
